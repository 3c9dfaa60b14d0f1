/// The eight data mask patterns (ISO/IEC 18004 table 10).
public enum DataMask {
    /// Whether mask `mask` (0…7) inverts the module in column `x` (j), row `y` (i).
    /// Masks outside 0…7 invert nothing.
    @inlinable
    public static func isFlipped(_ mask: Int, x: Int, y: Int) -> Bool {
        let i = y, j = x
        switch mask {
        case 0: return (i &+ j) % 2 == 0
        case 1: return i % 2 == 0
        case 2: return j % 3 == 0
        case 3: return (i &+ j) % 3 == 0
        case 4: return (i / 2 &+ j / 3) % 2 == 0
        case 5: return (i &* j) % 2 &+ (i &* j) % 3 == 0
        case 6: return ((i &* j) % 2 &+ (i &* j) % 3) % 2 == 0
        case 7: return ((i &+ j) % 2 &+ (i &* j) % 3) % 2 == 0
        default: return false
        }
    }
}
