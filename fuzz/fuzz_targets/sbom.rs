//! SBOMs: CycloneDX JSON and XML, SPDX 2 JSON and tag-value, SPDX 3 (`riskmark_sbom::parse`
//! detects the format; the seed corpus holds each).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(sbom) = riskmark_sbom::parse(data, "fuzz.sbom") {
        // Walk what a scan walks.
        for c in sbom.all_components() {
            let _ = (&c.purl, &c.version, c.cpes.len());
        }
    }
});
