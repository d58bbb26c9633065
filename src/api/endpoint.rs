//! The endpoints the client calls: the service's table ([`crate::vendor::endpoints`]).

pub use crate::vendor::endpoints::{
    ASSUMED_LIMIT_PER_SEC, ENDPOINTS, Endpoint, Kind, VendorLimit, by_name, names,
};
