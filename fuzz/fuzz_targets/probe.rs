//! Everything `riskmark probe` reads from a device's answers: TLS records (ServerHello,
//! certificates, alerts), X.509 certificates, SSH KEXINIT, HTTP response heads and login
//! forms, telnet negotiation and prompts, SSDP answers, MQTT CONNACK; and the user's
//! `--ports` lists and credential files. The first byte picks the reader.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let text = || String::from_utf8_lossy(rest);
    match which % 9 {
        0 => {
            let _ = riskmark_probe::tls::parse_answer(rest);
        }
        1 => {
            let _ = riskmark_probe::tls::certificate(rest, jiff::Timestamp::UNIX_EPOCH);
        }
        2 => {
            let _ = riskmark_probe::ssh::parse_kexinit(rest, "SSH-2.0-x");
        }
        3 => {
            if let Some(h) = riskmark_probe::http::parse(rest) {
                let _ = (h.requires_auth(), h.basic());
            }
        }
        4 => {
            let _ = riskmark_probe::http::login_form(&text());
        }
        5 => {
            let (t, _) = riskmark_probe::telnet::negotiate(rest);
            let _ = riskmark_probe::telnet::prompt(&String::from_utf8_lossy(&t));
        }
        6 => {
            let _ = riskmark_probe::udp::parse_ssdp(rest);
            let _ = riskmark_probe::mqtt::connack(rest);
            let _ = riskmark_probe::udp::is_coap(rest);
        }
        7 => {
            let _ = riskmark_probe::ports::parse(&text());
        }
        _ => {
            let _ = riskmark_probe::creds::parse("creds.txt", &text());
        }
    }
});
