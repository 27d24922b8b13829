//! Pieces shared by binary XML and the resource table: the chunk header,
//! the string pool and typed values (AOSP `ResourceTypes.h`).

pub mod chunk;
pub mod string_pool;
pub mod value;

pub use chunk::{Chunk, ChunkHeader, ChunkIter, ChunkType};
pub use string_pool::{StringPool, StringPoolError};
pub use value::{DataType, ResValue};
