//! CPE 2.3 formatted strings and 2.2 URIs: a parsed name prints to one that parses to
//! the same name.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data)
        && let Ok(c) = riskmark_vulndb::Cpe::parse(s)
    {
        let printed = c.to_string();
        let again = riskmark_vulndb::Cpe::parse(&printed).expect("a printed CPE parses");
        assert_eq!(again.to_string(), printed, "printing is stable");
    }
});
