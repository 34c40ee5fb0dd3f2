#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| container_policy::fuzzing::yaml_parse(data));
