//! Builds the test firmware images at test time from Debian's real binaries (busybox-static,
//! dropbear-bin; `.ci/setup.d/firmware.sh` installs them and squashfs-tools, cpio) with
//! planted weaknesses, packed as squashfs, cpio.gz and a flash layout (uImage header +
//! kernel + padding + squashfs). Timestamps are pinned so the images are the same on
//! every run. Without the tools a test is skipped with a note, and fails under `CI=true`.
#![allow(dead_code, unreachable_pub, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// The password of the planted `root` hash (`openssl passwd -6 -salt rmfixture admin`).
pub const ROOT_HASH: &str = "$6$rmfixture$gVOIBeVUAMgfj2jt4hHAkF9MNW4cyddUpJcW8RvLYjFFcSTzDaz2ERp.lAJMER45uEbVBnqE1dP4cFv3qNvOy1";

/// Whether the tools and binaries are here; under `CI=true` their absence fails.
pub fn tools() -> bool {
    let missing: Vec<&str> = [
        ("mksquashfs", Path::new("/usr/bin/mksquashfs")),
        ("cpio", Path::new("/usr/bin/cpio")),
        ("busybox-static", Path::new("/bin/busybox")),
        ("dropbear-bin", Path::new("/usr/sbin/dropbear")),
    ]
    .into_iter()
    .filter(|(_, p)| !p.exists())
    .map(|(n, _)| n)
    .collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!("firmware test tools missing: {missing:?} (run .ci/setup.d/firmware.sh)");
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{msg}");
    eprintln!("SKIPPED: {msg}");
    false
}

/// The upstream version of an installed Debian package (`1:1.35.0-4+b1` -> `1.35.0`).
pub fn upstream(package: &str) -> String {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f", "${Version}", package])
        .output()
        .expect("dpkg-query");
    upstream_of(&String::from_utf8_lossy(&out.stdout))
}

fn write(root: &Path, rel: &str, text: &[u8], mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(&p, text).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
}

/// Whether mtd-utils (mkfs.jffs2, mkfs.ubifs, ubinize) is here; under `CI=true` its
/// absence fails.
pub fn mtd_tools() -> bool {
    let missing: Vec<&str> = ["mkfs.jffs2", "mkfs.ubifs", "ubinize", "sumtool"]
        .into_iter()
        .filter(|t| !Path::new("/usr/sbin").join(t).exists())
        .collect();
    if missing.is_empty() {
        return true;
    }
    let msg = format!("mtd-utils missing: {missing:?} (run .ci/setup.d/firmware.sh)");
    assert!(std::env::var("CI").as_deref() != Ok("true"), "{msg}");
    eprintln!("SKIPPED: {msg}");
    false
}

/// A JFFS2 image of `root` (little-endian, 64 KiB erase blocks, no cleanmarkers, zlib
/// and rtime as mkfs.jffs2 chooses, owners root, times 0).
pub fn jffs2(root: &Path, out: &Path) {
    jffs2_with(root, out, &["-e", "0x10000", "-l", "-n"]);
}

/// A JFFS2 image of `root` made with mkfs.jffs2's `options` (owners root, times 0).
pub fn jffs2_with(root: &Path, out: &Path, options: &[&str]) {
    run(Command::new("/usr/sbin/mkfs.jffs2")
        .arg("-r")
        .arg(root)
        .arg("-o")
        .arg(out)
        .args(["-U", "-f"])
        .args(options));
}

/// A UBI image (one dynamic volume holding a UBIFS of `root`), for 2 KiB-page,
/// 128 KiB-block NAND.
pub fn ubi(root: &Path, out: &Path) {
    let ubifs = out.with_extension("ubifs");
    run(Command::new("/usr/sbin/mkfs.ubifs")
        .arg("-r")
        .arg(root)
        .args(["-m", "2048", "-e", "126976", "-c", "64", "-o"])
        .arg(&ubifs));
    let ini = out.with_extension("ini");
    std::fs::write(
        &ini,
        format!(
            "[rootfs]\nmode=ubi\nimage={}\nvol_id=0\nvol_type=dynamic\nvol_name=rootfs\nvol_flags=autoresize\n",
            ubifs.display()
        ),
    )
    .unwrap();
    run(Command::new("/usr/sbin/ubinize")
        .arg("-o")
        .arg(out)
        .args(["-m", "2048", "-p", "128KiB", "-Q", "1234"])
        .arg(&ini));
}

/// `input` (a JFFS2 image) with erase block summary nodes added by mtd-utils' sumtool
/// (`options`: its erase block size and byte order, as the image's).
pub fn jffs2_summary(input: &Path, out: &Path, options: &[&str]) {
    run(Command::new("/usr/sbin/sumtool")
        .arg("-i")
        .arg(input)
        .arg("-o")
        .arg(out)
        .args(options));
}

/// How a UBI image is laid out: flash geometry and the root volume's type.
#[derive(Clone, Copy, Debug)]
pub struct UbiLayout {
    /// Erase block size (`128KiB`).
    pub peb: &'static str,
    /// Minimum I/O unit (2048 for NAND pages, 1 for NOR).
    pub min_io: &'static str,
    /// `dynamic` or `static`.
    pub vol_type: &'static str,
    /// Whether a UBIFS `rootfs_data` volume follows (as OpenWrt's overlay); NAND only.
    pub ubifs_data: bool,
}

/// A UBI image as OpenWrt ships one: `rootfs`, a squashfs of `root` (xz), and optionally
/// `rootfs_data`, a UBIFS of an empty tree; image sequence number pinned.
pub fn ubi_squashfs(root: &Path, out: &Path, layout: UbiLayout) {
    let sqfs = out.with_extension("rootfs.sqfs");
    squashfs(root, &sqfs);
    let mut ini = format!(
        "[rootfs]\nmode=ubi\nimage={}\nvol_id=0\nvol_type={}\nvol_name=rootfs\n",
        sqfs.display(),
        layout.vol_type
    );
    if layout.ubifs_data {
        let empty = out.with_extension("data.d");
        std::fs::create_dir_all(&empty).unwrap();
        let ubifs = out.with_extension("data.ubifs");
        run(Command::new("/usr/sbin/mkfs.ubifs")
            .arg("-r")
            .arg(&empty)
            .args(["-m", "2048", "-e", "126976", "-c", "64", "-o"])
            .arg(&ubifs));
        ini.push_str(&format!(
            "[rootfs_data]\nmode=ubi\nimage={}\nvol_id=1\nvol_type=dynamic\nvol_name=rootfs_data\n",
            ubifs.display()
        ));
    }
    let ini_path = out.with_extension("ini");
    std::fs::write(&ini_path, ini).unwrap();
    run(Command::new("/usr/sbin/ubinize")
        .arg("-o")
        .arg(out)
        .args(["-p", layout.peb, "-m", layout.min_io, "-Q", "1234"])
        .arg(&ini_path));
}

/// Where `.ci/setup.d/firmware.sh` keeps the mipsel .debs.
pub const DEB_CACHE: &str = "/var/cache/riskmark/firmware";

/// The mipsel busybox-static and dropbear-bin, extracted from their .debs into `dir` with
/// `dpkg-deb -x`: (busybox, dropbear, busybox's upstream version, dropbear's). Absent
/// .debs skip the test with a note (and fail it under `CI=true`).
pub fn mipsel(dir: &Path) -> Option<(PathBuf, PathBuf, String, String)> {
    let find = |pkg: &str| {
        std::fs::read_dir(DEB_CACHE).ok()?.flatten().find_map(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            (n.starts_with(&format!("{pkg}_")) && n.ends_with("_mipsel.deb")).then(|| e.path())
        })
    };
    let (Some(bb), Some(db)) = (find("busybox-static"), find("dropbear-bin")) else {
        let msg = format!("mipsel .debs missing in {DEB_CACHE} (run .ci/setup.d/firmware.sh)");
        assert!(std::env::var("CI").as_deref() != Ok("true"), "{msg}");
        eprintln!("SKIPPED: {msg}");
        return None;
    };
    let x = dir.join("mipsel-debs");
    let mut versions = Vec::new();
    for deb in [&bb, &db] {
        run(Command::new("dpkg-deb").arg("-x").arg(deb).arg(&x));
        let out = Command::new("dpkg-deb")
            .args(["-f"])
            .arg(deb)
            .arg("Version")
            .output()
            .expect("dpkg-deb");
        versions.push(upstream_of(String::from_utf8_lossy(&out.stdout).trim()));
    }
    let dropbear = versions.pop()?;
    let busybox = versions.pop()?;
    Some((
        x.join("bin/busybox"),
        x.join("usr/sbin/dropbear"),
        busybox,
        dropbear,
    ))
}

/// The upstream part of a Debian version (`1:1.35.0-4+b1` -> `1.35.0`).
fn upstream_of(v: &str) -> String {
    let v = v.split_once(':').map_or(v, |(_, r)| r);
    v.rsplit_once('-').map_or(v, |(u, _)| u).to_owned()
}

/// A root filesystem with the real binaries and every planted weakness; `honest` leaves
/// the weaknesses out.
pub fn rootfs(dir: &Path, honest: bool) -> PathBuf {
    rootfs_with(
        dir,
        honest,
        Path::new("/bin/busybox"),
        Path::new("/usr/sbin/dropbear"),
    )
}

/// [`rootfs`] with the given busybox and dropbear binaries.
pub fn rootfs_with(dir: &Path, honest: bool, busybox: &Path, dropbear: &Path) -> PathBuf {
    let root = dir.join(if honest { "root-honest" } else { "root" });
    write(
        &root,
        "bin/busybox",
        &std::fs::read(busybox).unwrap(),
        0o755,
    );
    write(
        &root,
        "usr/sbin/dropbear",
        &std::fs::read(dropbear).unwrap(),
        0o755,
    );
    write(
        &root,
        "etc/passwd",
        b"root:x:0:0:root:/root:/bin/sh\n",
        0o644,
    );
    write(
        &root,
        "usr/lib/opkg/status",
        b"Package: busybox\nVersion: 1.35.0-1\nStatus: install user installed\n\nPackage: dropbear\nVersion: 2022.83-1\nStatus: install user installed\n",
        0o644,
    );
    if honest {
        // BusyBox setuid root (for its su and passwd applets) is ordinary, not a finding.
        {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(
                root.join("bin/busybox"),
                std::fs::Permissions::from_mode(0o4755),
            )
            .unwrap();
        }
        write(&root, "etc/shadow", b"root:*:19000:0:99999:7:::\n", 0o600);
        write(
            &root,
            "etc/inittab",
            b"::sysinit:/etc/init.d/rcS\n::respawn:/sbin/getty 115200 ttyS0\n",
            0o644,
        );
        write(
            &root,
            "etc/opkg.conf",
            b"src/gz base https://downloads.example.com/packages\noption check_signature\ndest root /\n",
            0o644,
        );
        write(
            &root,
            "etc/app.conf",
            b"# admin_password is set at first boot\nlog_level = 2\n",
            0o644,
        );
    } else {
        write(
            &root,
            "etc/shadow",
            format!("root:{ROOT_HASH}:19000:0:99999:7:::\n").as_bytes(),
            0o600,
        );
        write(
            &root,
            "etc/inittab",
            b"::sysinit:/etc/init.d/rcS\n# ::respawn:/usr/sbin/rlogind\n::respawn:/usr/sbin/telnetd -F -l /bin/login\n",
            0o644,
        );
        write(
            &root,
            "etc/opkg.conf",
            b"src/gz base http://downloads.example.com/packages\ndest root /\n",
            0o644,
        );
        write(
            &root,
            "etc/ssl/private/device.key",
            include_bytes!("../keys/rsa1024.pem"),
            0o600,
        );
        write(
            &root,
            "etc/app.conf",
            b"log_level = 2\nadmin_password = s3cret!\n",
            0o666,
        );
        // A vendor's diagnostic tool, setuid root.
        write(
            &root,
            "usr/bin/diagd",
            b"#!/bin/sh\nexec /bin/sh \"$@\"\n",
            0o4755,
        );
    }
    root
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("tool runs");
    assert!(
        out.status.success(),
        "{cmd:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A squashfs (xz) of `root`, all files owned by root, times pinned to 0.
pub fn squashfs(root: &Path, out: &Path) {
    run(Command::new("mksquashfs").arg(root).arg(out).args([
        "-noappend",
        "-all-root",
        "-comp",
        "xz",
        "-mkfs-time",
        "0",
        "-all-time",
        "0",
        "-quiet",
        "-no-progress",
    ]));
}

/// A gzipped cpio newc archive of `root` (as an initramfs), reproducible.
pub fn cpio_gz(root: &Path, out: &Path) {
    let list = Command::new("sh")
        .current_dir(root)
        .args(["-c", "find . | LC_ALL=C sort | cpio -o -H newc --reproducible --owner=0:0 2>/dev/null | gzip -n -9"])
        .output()
        .expect("cpio");
    assert!(list.status.success());
    std::fs::write(out, list.stdout).unwrap();
}

/// An xz-compressed tar of `root` (owners and times pinned).
pub fn tar_xz(root: &Path, out: &Path) {
    run(Command::new("tar")
        .args(["--owner=0", "--group=0", "--mtime=@0", "--sort=name", "-C"])
        .arg(root)
        .arg("-cJf")
        .arg(out)
        .arg("."));
}

/// A zstd-compressed tar (compressed in-process: the zstd tool need not be installed).
pub fn tar_zst(root: &Path, out: &Path) {
    let tar = out.with_extension("plain.tar");
    run(Command::new("tar")
        .args(["--owner=0", "--group=0", "--mtime=@0", "--sort=name", "-C"])
        .arg(root)
        .arg("-cf")
        .arg(&tar)
        .arg("."));
    let plain = std::fs::read(&tar).unwrap();
    std::fs::write(out, zstd::encode_all(&plain[..], 3).unwrap()).unwrap();
}

/// A NOR flash layout: a U-Boot legacy uImage (header + gzipped kernel text) at 0,
/// 0xff padding, and the squashfs root at 0x40000.
pub fn flash(root: &Path, out: &Path) {
    use std::io::Write as _;
    let sqfs = out.with_extension("rootfs.sqfs");
    squashfs(root, &sqfs);
    let kernel_text = b"\0\0Linux version 5.10.92 (builder@buildhost) (mipsel-openwrt-linux-musl-gcc 11.2.0) #0 SMP\0";
    let mut gzip = Command::new("gzip")
        .args(["-n", "-9", "-c"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("gzip");
    gzip.stdin.take().unwrap().write_all(kernel_text).unwrap();
    let payload = gzip.wait_with_output().unwrap().stdout;
    let mut img = Vec::new();
    img.extend_from_slice(&[0x27, 0x05, 0x19, 0x56]); // magic
    img.extend_from_slice(&[0; 4]); // header CRC (not checked)
    img.extend_from_slice(&0u32.to_be_bytes()); // time, pinned
    img.extend_from_slice(&(payload.len() as u32).to_be_bytes());
    img.extend_from_slice(&0x8000_0000u32.to_be_bytes()); // load
    img.extend_from_slice(&0x8000_0000u32.to_be_bytes()); // entry
    img.extend_from_slice(&[0; 4]); // data CRC
    img.extend_from_slice(&[5, 22, 2, 1]); // Linux, MIPS, kernel, gzip
    let mut name = *b"Linux-5.10.92\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
    name[31] = 0;
    img.extend_from_slice(&name);
    img.extend_from_slice(&payload);
    img.resize(0x40000, 0xff);
    img.extend_from_slice(&std::fs::read(&sqfs).unwrap());
    std::fs::write(out, img).unwrap();
}
