#!/usr/bin/env bash
# Rebuilds the embedded label fonts: Noto Sans CJK JP (Regular, Bold), subset to the
# characters of every language's messages (i18n/*/label.ftl), the 2,965 kanji of JIS X 0208
# level 1 (the common ones, so Japanese product names and addresses render), kana, CJK
# punctuation and full-width forms, plus Latin (Basic, Latin-1, Extended-A/B, Additional),
# Greek and Cyrillic, general punctuation and a few symbols.
# Source: Debian package fonts-noto-cjk (1:20220127+repack1-1), face 0 of each TTC.
# Needs: apt-get install fonts-noto-cjk; pip install fonttools. Run after editing a .ftl.
set -euo pipefail
cd "$(dirname "$0")"
src=/usr/share/fonts/opentype/noto
# JIS X 0208 level 1 kanji are rows 16-47: EUC-JP bytes B0A1..CFD3.
jis1=$(python3 -c "print(''.join(bytes([a, b]).decode('euc_jp') for a in range(0xB0, 0xD0) for b in range(0xA1, 0xFF) if not (a == 0xCF and b > 0xD3)))")
text="$(cat ../i18n/*/label.ftl)$jis1"
unicodes="U+0020-007E,U+00A0-024F,U+0370-03FF,U+0400-04FF,U+1E00-1EFF,U+2010-2027,U+2030-203A,U+20AC,U+2122,U+2190-2193,U+2212,U+3000-303F,U+3040-309F,U+30A0-30FF,U+FF01-FF5E"
for w in Regular Bold; do
  pyftsubset "$src/NotoSansCJK-$w.ttc" --font-number=0 \
    --unicodes="$unicodes" --text="$text" \
    --no-hinting --name-languages=0x0409 \
    --output-file="NotoSansCJKjp-$w-subset.otf"
done
ls -l ./*.otf
