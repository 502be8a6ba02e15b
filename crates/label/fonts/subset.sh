#!/usr/bin/env bash
# Rebuilds the embedded label fonts: Noto Sans CJK JP (Regular, Bold), subset to the
# characters of every language's messages (i18n/*/label.ftl) plus Latin, Latin-1,
# Latin Extended-A, general punctuation, CJK punctuation, kana and full-width forms.
# Source: Debian package fonts-noto-cjk (1:20220127+repack1-1), face 0 of each TTC.
# Needs: apt-get install fonts-noto-cjk; pip install fonttools. Run after editing a .ftl.
set -euo pipefail
cd "$(dirname "$0")"
src=/usr/share/fonts/opentype/noto
text=$(cat ../i18n/*/label.ftl)
unicodes="U+0020-007E,U+00A0-017F,U+2010-2027,U+2030-203A,U+20AC,U+2122,U+2190-2193,U+2212,U+3000-303F,U+3040-309F,U+30A0-30FF,U+FF01-FF5E"
for w in Regular Bold; do
  pyftsubset "$src/NotoSansCJK-$w.ttc" --font-number=0 \
    --unicodes="$unicodes" --text="$text" \
    --no-hinting --desubroutinize --name-languages=0x0409 \
    --output-file="NotoSansCJKjp-$w-subset.otf"
done
ls -l ./*.otf
