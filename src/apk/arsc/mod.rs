//! resources.arsc
