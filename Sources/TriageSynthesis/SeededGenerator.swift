import NotificationTriage

/// A small, fast, seeded pseudo-random generator (xoshiro256**, seeded through SplitMix64), so that the
/// same seed always gives the same synthetic data on every platform and Swift version.
///
/// Not cryptographic. The standard library's `SystemRandomNumberGenerator` is never used by the
/// synthesis code: every random choice goes through one of these.
package struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose whole sequence is fixed by `seed` (any value, zero included).
    package init(seed: UInt64) {
        var sm = seed
        s0 = SeededGenerator.splitMix(&sm)
        s1 = SeededGenerator.splitMix(&sm)
        s2 = SeededGenerator.splitMix(&sm)
        s3 = SeededGenerator.splitMix(&sm)
    }

    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits.
    @inline(__always)
    package mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 45) | (s3 >> 19)
        return result
    }

    /// A uniform integer in `0..<n` (`n` > 0), by Lemire's multiply-shift (bias below 2⁻³² for the small
    /// ranges used here, and deterministic).
    @inline(__always)
    mutating func below(_ n: Int) -> Int {
        Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(n)).high)
    }

    /// A uniform integer in `range`.
    @inline(__always)
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// A uniform double in `0..<1` (53 random bits).
    @inline(__always)
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// True with probability `p`.
    @inline(__always)
    mutating func chance(_ p: Double) -> Bool { unit() < p }

    /// An exponentially distributed value with the given mean.
    @inline(__always)
    mutating func exponential(mean: Double) -> Double {
        -mean * (1 - unit()).log()
    }

    /// The index chosen from cumulative weights (`cumulative.last` is the total).
    @inline(__always)
    mutating func pick(_ cumulative: [Int]) -> Int {
        let r = below(cumulative[cumulative.count - 1])
        var i = 0
        while cumulative[i] <= r { i += 1 }
        return i
    }
}

extension Double {
    /// Natural logarithm without Foundation (series on the mantissa; accurate to ~1e-12, plenty for
    /// sampling, and identical on every platform).
    @inline(__always)
    fileprivate func log() -> Double {
        if self <= 0 { return -745 }
        let e = Double(exponent)
        let m = significand  // 1 ≤ m < 2
        // ln(m) = 2·atanh((m−1)/(m+1))
        let y = (m - 1) / (m + 1)
        let y2 = y * y
        var term = y
        var sum = 0.0
        var k = 1.0
        for _ in 0..<14 {
            sum += term / k
            term *= y2
            k += 2
        }
        return 2 * sum + e * 0.693_147_180_559_945_3
    }
}
