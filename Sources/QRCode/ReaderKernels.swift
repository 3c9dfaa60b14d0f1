/// The reader's hot kernels, one call each, for microbenchmarks (`Benchmarks/QRKernels`).
///
/// `QRReader.read` runs these inside its search; timing them alone shows a regression in one
/// stage without the noise of the others. Each does exactly what the reader does at that step.
public enum ReaderKernels {
    /// Local-mean thresholding with a `window`×`window` box.
    public static func localMeanThreshold(_ image: GrayImage, window: Int) -> BinaryImage {
        Binarizer.localMean(image, window: max(1, window))
    }

    /// Global Otsu thresholding, the reader's last threshold hypothesis.
    public static func otsuThreshold(_ image: GrayImage) -> BinaryImage {
        Binarizer.otsu(image)
    }

    /// Every finder-pattern candidate in a thresholded image, as the reader's locate stage finds them.
    public static func finderPatterns(in binary: BinaryImage) -> [FinderPattern] {
        FinderPatternFinder(image: binary).find()
    }
}
