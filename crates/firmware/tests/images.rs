//! Real images built from Debian's binaries (see `build/mod.rs`): every format, the
//! components with their exact versions, every planted weakness, and nothing on an
//! honest image.

mod build;

use riskmark_firmware::{Limits, analyze};

fn names(a: &riskmark_firmware::Analysis) -> Vec<(String, String)> {
    a.components
        .iter()
        .map(|c| (c.name.clone(), c.version.clone()))
        .collect()
}

fn codes(a: &riskmark_firmware::Analysis) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = a
        .findings
        .iter()
        .map(|f| {
            (
                f.code.clone(),
                f.path.rsplit_once("/etc/").map_or_else(
                    || {
                        f.path
                            .find("usr/")
                            .map_or(f.path.clone(), |i| f.path[i..].to_owned())
                    },
                    |(_, p)| p.to_owned(),
                ),
            )
        })
        .collect();
    v.sort();
    v
}

fn planted() -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = [
        ("debug-service", "inittab"),
        ("default-password", "shadow"),
        ("hardcoded-credential", "app.conf"),
        ("private-key", "ssl/private/device.key"),
        ("setuid", "usr/bin/diagd"),
        ("update-plain-http", "opkg.conf"),
        ("update-unsigned", "opkg.conf"),
        ("world-writable", "app.conf"),
    ]
    .into_iter()
    .map(|(a, b)| (a.to_owned(), b.to_owned()))
    .collect();
    v.sort();
    v
}

fn expected_components(kernel: bool) -> Vec<(String, String)> {
    let busybox = build::upstream("busybox-static");
    let dropbear = build::upstream("dropbear-bin");
    let mut v = vec![
        ("busybox".to_owned(), busybox),
        ("busybox".to_owned(), "1.35.0-1".to_owned()),
        ("dropbear".to_owned(), dropbear),
        ("dropbear".to_owned(), "2022.83-1".to_owned()),
    ];
    if kernel {
        v.push(("linux".to_owned(), "5.10.92".to_owned()));
    }
    v.sort();
    v
}

fn check(image: &std::path::Path, container: &str, kernel: bool) {
    let bytes = std::fs::read(image).unwrap();
    let a = analyze(&bytes, &image.display().to_string(), &Limits::default()).unwrap();
    assert!(
        a.containers.iter().any(|c| c.format == container),
        "{:?}",
        a.containers
    );
    let mut got = names(&a);
    got.sort();
    assert_eq!(got, expected_components(kernel), "{:#?}", a.components);
    assert_eq!(codes(&a), planted(), "{:#?}", a.findings);
    let d = a
        .findings
        .iter()
        .find(|f| f.code == "default-password")
        .unwrap();
    assert!(
        d.detail.contains("`root`") && d.detail.contains("`admin`"),
        "{d:?}"
    );
    let k = a.findings.iter().find(|f| f.code == "private-key").unwrap();
    assert!(k.detail.contains("RSA, 1024 bits, below 2048"), "{k:?}");
    // The SBOM names every component with its purl and where it was found.
    let bom = a.cyclonedx();
    assert_eq!(bom["specVersion"], "1.6");
    assert_eq!(
        bom["components"].as_array().unwrap().len(),
        a.components.len()
    );
    let busybox = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["purl"]
                .as_str()
                .is_some_and(|p| p.starts_with("pkg:generic/busybox@1."))
        })
        .unwrap();
    assert!(
        busybox["evidence"]["occurrences"][0]["location"]
            .as_str()
            .unwrap()
            .ends_with("bin/busybox")
    );
    assert!(
        busybox["cpe"]
            .as_str()
            .unwrap()
            .starts_with("cpe:2.3:a:busybox:busybox:")
    );
    // Each finding decides its check.
    let v = a.verified();
    for code in [
        "default-password-universal",
        "debug-service-exposed",
        "update-signed",
        "update-secure-delivery",
        "credential-storage",
    ] {
        assert!(v.iter().any(|c| c.code == code), "{code}: {v:?}");
    }
}

#[test]
fn squashfs_image() {
    if !build::tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = build::rootfs(dir.path(), false);
    let img = dir.path().join("rootfs.sqfs");
    build::squashfs(&root, &img);
    check(&img, "squashfs", false);
}

#[test]
fn cpio_gz_initramfs() {
    if !build::tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = build::rootfs(dir.path(), false);
    let img = dir.path().join("initramfs.cpio.gz");
    build::cpio_gz(&root, &img);
    check(&img, "cpio", false);
}

#[test]
fn tar_xz_archive() {
    if !build::tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = build::rootfs(dir.path(), false);
    let img = dir.path().join("rootfs.tar.xz");
    build::tar_xz(&root, &img);
    check(&img, "tar", false);
}

#[test]
fn tar_zst_archive() {
    if !build::tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = build::rootfs(dir.path(), false);
    let img = dir.path().join("rootfs.tar.zst");
    build::tar_zst(&root, &img);
    check(&img, "tar", false);
    let a = analyze(
        &std::fs::read(&img).unwrap(),
        "rootfs.tar.zst",
        &Limits::default(),
    )
    .unwrap();
    assert_eq!(a.containers[0].format, "zstd", "{:?}", a.containers);
}

#[test]
fn flash_layout_with_uimage_kernel_and_squashfs_at_an_offset() {
    if !build::tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = build::rootfs(dir.path(), false);
    let img = dir.path().join("flash.bin");
    build::flash(&root, &img);
    check(&img, "squashfs", true);
    let bytes = std::fs::read(&img).unwrap();
    let a = analyze(&bytes, "flash.bin", &Limits::default()).unwrap();
    let sq = a
        .containers
        .iter()
        .find(|c| c.format == "squashfs")
        .unwrap();
    assert_eq!(sq.offset, 0x40000);
    // The kernel is read once, through its uImage; the squashfs's own bytes are not
    // carved again (its already-gzipped files would show as streams of the image).
    let top: Vec<_> = a
        .containers
        .iter()
        .filter(|c| c.path == "flash.bin")
        .map(|c| (c.format.as_str(), c.offset))
        .collect();
    assert_eq!(
        top,
        [("uimage (Linux-5.10.92)", 0), ("squashfs", 0x40000)],
        "{:?}",
        a.containers
    );
    assert!(
        a.containers
            .iter()
            .any(|c| c.format == "uimage (Linux-5.10.92)"),
        "{:?}",
        a.containers
    );
}

#[test]
fn mipsel_binaries_in_a_squashfs() {
    if !build::tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let Some((busybox, dropbear, bb_version, db_version)) = build::mipsel(dir.path()) else {
        return;
    };
    // Really MIPS: EM_MIPS (8), little-endian.
    let elf = std::fs::read(&busybox).unwrap();
    assert_eq!((elf[5], u16::from_le_bytes([elf[18], elf[19]])), (1, 8));
    let root = build::rootfs_with(dir.path(), false, &busybox, &dropbear);
    let img = dir.path().join("mipsel.sqfs");
    build::squashfs(&root, &img);
    let bytes = std::fs::read(&img).unwrap();
    let a = analyze(&bytes, "mipsel.sqfs", &Limits::default()).unwrap();
    let mut got = names(&a);
    got.sort();
    let mut want = vec![
        ("busybox".to_owned(), bb_version),
        ("busybox".to_owned(), "1.35.0-1".to_owned()),
        ("dropbear".to_owned(), db_version),
        ("dropbear".to_owned(), "2022.83-1".to_owned()),
    ];
    want.sort();
    assert_eq!(got, want, "{:#?}", a.components);
    assert_eq!(codes(&a), planted(), "{:#?}", a.findings);
}

#[test]
fn jffs2_images_in_both_byte_orders_and_every_compression_mkfs_makes() {
    if !build::tools() || !build::mtd_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = build::rootfs(dir.path(), false);
    for (file, options, format) in [
        // mkfs.jffs2's default choice: zlib, rtime where zlib does not pay.
        ("le.jffs2", &["-e", "0x10000", "-l", "-n"][..], "jffs2"),
        (
            "be.jffs2",
            &["-e", "0x10000", "-b", "-n"][..],
            "jffs2 (big-endian)",
        ),
        // rtime alone, and no compression at all.
        ("rtime.jffs2", &["-l", "-x", "zlib"][..], "jffs2"),
        (
            "none.jffs2",
            &["-l", "-x", "zlib", "-x", "rtime"][..],
            "jffs2",
        ),
        // The smallest of each node's compressions; 128 KiB erase blocks with
        // cleanmarkers, padded with 0xff to the end of the last block; 16 KiB pages.
        (
            "size.jffs2",
            &["-e", "0x20000", "-l", "-m", "size", "-p", "-s", "0x4000"][..],
            "jffs2",
        ),
    ] {
        let img = dir.path().join(file);
        build::jffs2_with(&root, &img, options);
        check(&img, format, false);
        let bytes = std::fs::read(&img).unwrap();
        let a = analyze(&bytes, file, &Limits::default()).unwrap();
        assert!(a.notes.is_empty(), "{file}: {:?}", a.notes);
        // The ten files, with their modes: all eight planted findings (the setuid and
        // world-writable ones come from the modes).
        assert_eq!(a.files, 10, "{file}");
    }
    // Erase block summaries (sumtool), both byte orders: skipped like any compatible
    // node, the same files read.
    for (file, options, format) in [
        ("le.jffs2", &["-e", "0x10000", "-l", "-n"][..], "jffs2"),
        (
            "be.jffs2",
            &["-e", "0x10000", "-b", "-n"][..],
            "jffs2 (big-endian)",
        ),
    ] {
        let img = dir.path().join(file);
        let sum = dir.path().join(format!("sum-{file}"));
        build::jffs2_summary(&img, &sum, options);
        assert_ne!(std::fs::read(&img).unwrap(), std::fs::read(&sum).unwrap());
        check(&sum, format, false);
    }
}

#[test]
fn jffs2_carved_from_a_flash_layout_and_damaged_jffs2_images() {
    if !build::tools() || !build::mtd_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = build::rootfs(dir.path(), false);
    let img = dir.path().join("rootfs.jffs2");
    build::jffs2(&root, &img);
    let jffs2 = std::fs::read(&img).unwrap();
    // An honest squashfs, 0xff to 2 MiB, the planted JFFS2: both read, the findings
    // are the JFFS2's.
    let honest = build::rootfs(dir.path(), true);
    let sqfs = dir.path().join("part.sqfs");
    build::squashfs(&honest, &sqfs);
    let mut flash = std::fs::read(&sqfs).unwrap();
    flash.resize(0x20_0000, 0xff);
    flash.extend_from_slice(&jffs2);
    flash.resize(0x40_0000, 0xff);
    // Then a UBI partition (a UBIFS volume): the JFFS2 ends where it starts, its
    // compressed bytes are not scanned for nodes.
    let ubi = dir.path().join("data.ubi");
    build::ubi(&honest, &ubi);
    flash.extend_from_slice(&std::fs::read(&ubi).unwrap());
    let a = analyze(&flash, "flash.bin", &Limits::default()).unwrap();
    assert_eq!(codes(&a), planted(), "{:#?}", a.findings);
    let top: Vec<_> = a
        .containers
        .iter()
        .filter(|c| c.path == "flash.bin")
        .map(|c| (c.format.as_str(), c.offset, c.size))
        .collect();
    assert_eq!(
        top,
        [
            ("squashfs", 0, top[0].2),
            ("jffs2", 0x20_0000, jffs2.len() as u64),
            ("ubi", 0x40_0000, std::fs::metadata(&ubi).unwrap().len())
        ],
        "{:?}",
        a.containers
    );
    let notes: Vec<(&str, &str)> = a
        .notes
        .iter()
        .map(|n| (n.message.split(" (").next().unwrap(), n.at.as_str()))
        .collect();
    assert_eq!(
        notes,
        [("ubifs in UBI volume `rootfs`", "flash.bin@0x441000")],
        "{:?}",
        a.notes
    );
    assert!(
        a.findings
            .iter()
            .any(|f| f.path == "flash.bin@jffs2:0x200000/etc/shadow"),
        "{:#?}",
        a.findings
    );
    // Cut short, or with bytes flipped: notes or fewer files, never a panic.
    let l = Limits::default();
    for n in [
        12,
        100,
        4096,
        jffs2.len() / 3,
        jffs2.len() / 2,
        jffs2.len() - 1,
    ] {
        let _ = analyze(&jffs2[..n], "cut.jffs2", &l);
    }
    let half = analyze(&jffs2[..jffs2.len() / 2], "half.jffs2", &l).unwrap();
    assert!(half.files < 10, "{}", half.files);
    let mut flipped = jffs2.clone();
    for i in (0..flipped.len()).step_by(997) {
        flipped[i] ^= 0x5a;
    }
    let a = analyze(&flipped, "flipped.jffs2", &l).unwrap();
    assert!(
        a.notes.iter().any(|n| n.message.contains("bad CRC")),
        "{:?}",
        a.notes
    );
}

const NAND: build::UbiLayout = build::UbiLayout {
    peb: "128KiB",
    min_io: "2048",
    vol_type: "dynamic",
    ubifs_data: true,
};

#[test]
fn ubi_images_with_a_squashfs_volume() {
    if !build::tools() || !build::mtd_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = build::rootfs(dir.path(), false);
    for (file, layout) in [
        // OpenWrt's NAND layout: squashfs root and a UBIFS overlay.
        ("nand.ubi", NAND),
        (
            "static.ubi",
            build::UbiLayout {
                vol_type: "static",
                ubifs_data: false,
                ..NAND
            },
        ),
        (
            "nor.ubi",
            build::UbiLayout {
                peb: "64KiB",
                min_io: "1",
                vol_type: "dynamic",
                ubifs_data: false,
            },
        ),
    ] {
        let img = dir.path().join(file);
        build::ubi_squashfs(&root, &img, layout);
        check(&img, "ubi", false);
        let bytes = std::fs::read(&img).unwrap();
        let a = analyze(&bytes, file, &Limits::default()).unwrap();
        assert!(
            a.containers
                .iter()
                .any(|c| c.format == "squashfs" && c.path == format!("{file}@ubi:0x0/rootfs")),
            "{file}: {:?}",
            a.containers
        );
        assert_eq!(a.files, 11, "{file}");
        if layout.ubifs_data {
            assert_eq!(a.notes.len(), 1, "{:?}", a.notes);
            let n = &a.notes[0];
            assert!(
                n.message.starts_with("ubifs in UBI volume `rootfs_data` (")
                    && n.at.starts_with(&format!("{file}@0x")),
                "{n:?}"
            );
        } else {
            assert!(a.notes.is_empty(), "{file}: {:?}", a.notes);
        }
    }
}

#[test]
fn a_ubifs_volume_is_named_with_its_offset() {
    if !build::tools() || !build::mtd_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = build::rootfs(dir.path(), false);
    let img = dir.path().join("rootfs.ubi");
    build::ubi(&root, &img);
    let bytes = std::fs::read(&img).unwrap();
    // ubinize puts the layout volume's two copies first: the rootfs's first block is
    // in the third erase block, past its two 2 KiB header pages.
    let a = analyze(&bytes, "rootfs.ubi", &Limits::default()).unwrap();
    assert_eq!(a.files, 0);
    assert_eq!(
        a.notes
            .iter()
            .map(|n| (n.message.split(" (").next().unwrap(), n.at.as_str()))
            .collect::<Vec<_>>(),
        [("ubifs in UBI volume `rootfs`", "rootfs.ubi@0x41000")],
        "{:?}",
        a.notes
    );
}

/// UBI's CRC (reflected CRC-32, seed all ones, no final inversion).
fn ubi_crc(b: &[u8]) -> u32 {
    let mut c = 0xffff_ffffu32;
    for x in b {
        c ^= u32::from(*x);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0xedb8_8320
            } else {
                c >> 1
            };
        }
    }
    c
}

#[test]
fn ubi_carved_from_a_flash_layout_and_damaged_ubi_images() {
    if !build::tools() || !build::mtd_tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = build::rootfs(dir.path(), false);
    let img = dir.path().join("nand.ubi");
    build::ubi_squashfs(&root, &img, NAND);
    let ubi = std::fs::read(&img).unwrap();
    // An honest squashfs, 0xff to 2 MiB, the planted UBI image.
    let honest = build::rootfs(dir.path(), true);
    let sqfs = dir.path().join("part.sqfs");
    build::squashfs(&honest, &sqfs);
    let mut flash = std::fs::read(&sqfs).unwrap();
    flash.resize(0x20_0000, 0xff);
    flash.extend_from_slice(&ubi);
    let a = analyze(&flash, "flash.bin", &Limits::default()).unwrap();
    assert_eq!(codes(&a), planted(), "{:#?}", a.findings);
    let top: Vec<_> = a
        .containers
        .iter()
        .filter(|c| c.path == "flash.bin")
        .map(|c| (c.format.as_str(), c.offset))
        .collect();
    assert_eq!(
        top,
        [("squashfs", 0), ("ubi", 0x20_0000)],
        "{:?}",
        a.containers
    );
    assert!(
        a.findings
            .iter()
            .any(|f| f.path == "flash.bin@ubi:0x200000/rootfs@squashfs:0x0/etc/shadow"),
        "{:#?}",
        a.findings
    );
    // The rootfs's second block renumbered far past the volume (its header's CRC made
    // right): a note, the volume read up to the gap, no panic.
    let peb = 128 << 10;
    let vid = |i: usize| i * peb + 2048;
    let second = (0..ubi.len() / peb)
        .find(|i| {
            let h = &ubi[vid(*i)..vid(*i) + 64];
            h.starts_with(b"UBI!") && h[8..12] == [0, 0, 0, 0] && h[12..16] == [0, 0, 0, 1]
        })
        .unwrap();
    let mut bad = ubi.clone();
    let h = vid(second);
    bad[h + 12..h + 16].copy_from_slice(&0x00ff_ffffu32.to_be_bytes());
    let c = ubi_crc(&bad[h..h + 60]);
    bad[h + 60..h + 64].copy_from_slice(&c.to_be_bytes());
    let a = analyze(&bad, "bad.ubi", &Limits::default()).unwrap();
    let notes: Vec<&str> = a.notes.iter().map(|n| n.message.as_str()).collect();
    assert!(
        notes.contains(&"1 UBI block(s) numbered past the volume's size skipped")
            && notes.contains(&"UBI volume block 1 missing; read up to it"),
        "{notes:?}"
    );
    assert!(a.findings.is_empty(), "{:?}", a.findings);
    // A volume larger than the per-file limit is refused; cut short or flipped: no
    // panic.
    let small = Limits {
        max_file_bytes: 64 << 10,
        ..Limits::default()
    };
    let a = analyze(&ubi, "small.ubi", &small).unwrap();
    assert!(
        a.notes
            .iter()
            .any(|n| n.message.contains("UBI volume larger than 65536 bytes")),
        "{:?}",
        a.notes
    );
    for n in [
        64,
        4096,
        peb,
        peb + 1,
        3 * peb + 100,
        ubi.len() / 2,
        ubi.len() - 1,
    ] {
        let _ = analyze(&ubi[..n], "cut.ubi", &Limits::default());
    }
    // One erase block alone: no size fits; named, not read.
    let e = analyze(&ubi[..peb], "one.ubi", &Limits::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("ubi found, not read: no erase block size fits") && e.contains("one.ubi@0x0"),
        "{e}"
    );
    let mut flipped = ubi.clone();
    for i in (0..flipped.len()).step_by(4093) {
        flipped[i] ^= 0x5a;
    }
    let _ = analyze(&flipped, "flipped.ubi", &Limits::default());
}

#[test]
fn an_honest_image_has_no_finding() {
    if !build::tools() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = build::rootfs(dir.path(), true);
    let img = dir.path().join("honest.sqfs");
    build::squashfs(&root, &img);
    let bytes = std::fs::read(&img).unwrap();
    let a = analyze(&bytes, "honest.sqfs", &Limits::default()).unwrap();
    assert!(a.findings.is_empty(), "{:#?}", a.findings);
    assert!(a.verified().is_empty());
    assert_eq!(a.components.len(), 4, "{:?}", a.components);
}

#[test]
fn bad_images_are_errors_or_notes_never_panics() {
    let l = Limits::default();
    assert!(analyze(b"", "empty.bin", &l).is_err());
    let e = analyze(&[0xab; 4096], "noise.bin", &l).unwrap_err();
    assert!(e.to_string().contains("noise.bin"), "{e}");
    // A truncated squashfs and a truncated cpio: no panic.
    let mut bad = b"hsqs".to_vec();
    bad.extend_from_slice(&[0; 200]);
    let _ = analyze(&bad, "trunc.sqfs", &l);
    let _ = analyze(b"070701000000", "trunc.cpio", &l);
    // A gzip bomb beyond the per-file limit is refused with a note, not inflated.
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    std::io::Write::write_all(&mut gz, &vec![0u8; 8 << 20]).unwrap();
    let bomb = gz.finish().unwrap();
    let small = Limits {
        max_file_bytes: 1 << 20,
        ..Limits::default()
    };
    let r = analyze(&bomb, "bomb.gz", &small);
    match r {
        Err(e) => assert!(e.to_string().contains("larger than"), "{e}"),
        Ok(a) => assert!(
            a.notes.iter().any(|n| n.message.contains("larger than")),
            "{:?}",
            a.notes
        ),
    }
    // Path escapes are normalized away.
    assert_eq!(
        riskmark_firmware::unpack::clean("../../etc/./passwd"),
        "etc/passwd"
    );
}
