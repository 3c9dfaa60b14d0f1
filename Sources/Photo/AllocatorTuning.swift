import CImageCodecs

/// How the process's allocator treats the memory a photo frees.
///
/// By default glibc gives blocks above a moving threshold (128 KiB to 32 MiB) their own
/// `mmap`, and returns free memory at the top of the heap to the system once more than twice
/// that threshold is free. A photo's buffers (the file's bytes, the inflated rows, the
/// luminance, one thresholded image per hypothesis) are that size, so every photo of a batch,
/// a benchmark run or a server's stream of uploads took fresh pages from the kernel and had
/// them zero-filled on first touch.
public enum AllocatorTuning {
    /// Keeps up to 128 MiB of freed memory (a 48 MP photo's working set) for the next photo,
    /// with blocks below 64 MiB taken from the heap. What a single photo needs at its peak is
    /// unchanged; only what is given back between photos is. Call once, at process start.
    public static func keepFreedMemoryForNextPhoto() {
        ic_keep_freed_memory(64 << 20, 128 << 20)
    }
}
