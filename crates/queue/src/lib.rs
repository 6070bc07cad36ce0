//! 预约取叫号. This first part is the calling policy: the pure, ordered rules
//! that decide which waiting ticket a window calls next. Storage, the
//! serialized select-and-mark step, windows, screens and notifications arrive
//! with the rest of issue 5.

pub mod policy;
