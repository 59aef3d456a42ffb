//! Dates: any text parses or is refused without a panic, in zones with and without daylight
//! saving; a parsed date prints as RFC 3339 and RFC 2822 (what the feeds write).
#![no_main]

use libfuzzer_sys::fuzz_target;
use syndic::corpus::dates;

fuzz_target!(|text: &str| {
    for zone in [
        chrono_tz::America::Toronto,
        chrono_tz::UTC,
        chrono_tz::Australia::Lord_Howe,
    ] {
        if let Ok(date) = dates::parse(text, zone) {
            let _ = date.to_rfc3339();
            let _ = date.to_rfc2822();
        }
    }
    let _ = dates::from_file_stem(text);
});
