//! Rendered `/api/reach` bodies, keyed by the parsed request and format. A
//! reach answer is a pure function of the request and of data embedded in
//! the binary, so a cached body is exactly what a fresh computation would
//! give; an analyst's "what if" session asks the same few queries again and
//! again. Bounded by entries and bytes; oldest out first.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use axum::body::Bytes;

const ENTRIES: usize = 256;
const BYTES: usize = 64 << 20;
const MAX_BODY: usize = 2 << 20;

#[derive(Default)]
struct Inner {
    map: HashMap<String, Bytes>,
    order: VecDeque<String>,
    bytes: usize,
}

/// The cache; cheap to share behind the server's state.
#[derive(Default)]
pub struct ReachCache {
    inner: Mutex<Inner>,
}

impl ReachCache {
    pub fn get(&self, key: &str) -> Option<Bytes> {
        self.inner.lock().ok()?.map.get(key).cloned()
    }

    /// Keeps a body unless it is larger than 2 MiB; evicts the oldest
    /// entries beyond 256 or 64 MiB.
    pub fn put(&self, key: String, body: Bytes) {
        if body.len() > MAX_BODY {
            return;
        }
        let Ok(mut c) = self.inner.lock() else {
            return;
        };
        if c.map.contains_key(&key) {
            return;
        }
        while c.order.len() >= ENTRIES || c.bytes + body.len() > BYTES {
            let Some(old) = c.order.pop_front() else {
                break;
            };
            if let Some(b) = c.map.remove(&old) {
                c.bytes -= b.len();
            }
        }
        c.bytes += body.len();
        c.order.push_back(key.clone());
        c.map.insert(key, body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_by_entries_oldest_out_first() {
        let c = ReachCache::default();
        for i in 0..ENTRIES + 3 {
            c.put(format!("k{i}"), Bytes::from(vec![0u8; 10]));
        }
        assert!(c.get("k0").is_none() && c.get("k2").is_none());
        assert!(c.get("k3").is_some());
        assert!(c.get(&format!("k{}", ENTRIES + 2)).is_some());
        c.put("big".into(), Bytes::from(vec![0u8; MAX_BODY + 1]));
        assert!(c.get("big").is_none(), "a body over 2 MiB is not kept");
    }
}
