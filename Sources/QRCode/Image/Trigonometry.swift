// The QR library imports nothing, not even Foundation, so the few trigonometric functions the
// geometry needs are computed here: range reduction plus short Taylor/minimax series, accurate
// to about 1e-9, far below a pixel.

/// sin(x) for any finite x.
func sine(_ x: Double) -> Double {
    let twoPi = 2 * Double.pi
    var r = x - (x / twoPi).rounded() * twoPi          // −π…π
    if r > Double.pi / 2 { r = Double.pi - r } else if r < -Double.pi / 2 { r = -Double.pi - r }  // −π/2…π/2
    let r2 = r * r
    // Taylor series to x¹⁵: error below 1e-12 on [−π/2, π/2].
    var term = r, sum = r
    for k in stride(from: 2, through: 14, by: 2) {
        term *= -r2 / Double(k * (k + 1))
        sum += term
    }
    return sum
}

/// cos(x) for any finite x.
func cosine(_ x: Double) -> Double { sine(x + Double.pi / 2) }

/// atan2(y, x) in −π…π.
func atan2Approx(_ y: Double, _ x: Double) -> Double {
    if x == 0 && y == 0 { return 0 }
    let ax = abs(x), ay = abs(y)
    let swap = ay > ax
    let z = swap ? ax / ay : ay / ax                   // 0…1
    // atan on [0, 1] by argument halving then a series.
    let h = z / (1 + (1 + z * z).squareRoot())         // tan(θ/2), ≤ 0.4143
    let h2 = h * h
    var term = h, sum = h
    for k in 1...12 {
        term *= -h2
        sum += term / Double(2 * k + 1)
    }
    var a = 2 * sum
    if swap { a = Double.pi / 2 - a }
    if x < 0 { a = Double.pi - a }
    return y < 0 ? -a : a
}
