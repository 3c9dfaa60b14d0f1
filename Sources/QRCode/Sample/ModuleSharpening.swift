extension ModuleSamples {
    /// The samples with each module pushed away from the mean of its four neighbours: undoes
    /// some of the blur that smears a lone dark module into its light surroundings (and the
    /// reverse), which no threshold can separate once the two gray levels have met.
    func sharpened(strength: Int = 1) -> ModuleSamples {
        let n = dimension
        var out = self
        for y in 0..<n {
            for x in 0..<n {
                let i = y * n + x
                var sum = 0, count = 0
                if x > 0 { sum += Int(values[i - 1]); count += 1 }
                if x + 1 < n { sum += Int(values[i + 1]); count += 1 }
                if y > 0 { sum += Int(values[i - n]); count += 1 }
                if y + 1 < n { sum += Int(values[i + n]); count += 1 }
                let v = Int(values[i])
                out.values[i] = UInt8(clamping: v + strength * (v * count - sum) / count)
            }
        }
        return out
    }
}
