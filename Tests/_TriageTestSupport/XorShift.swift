/// A fixed pseudo-random sequence (xorshift64), for test inputs that must be the same on every run, so that a
/// failure repeats.
package struct XorShift {
    private var x: UInt64

    package init(seed: UInt64 = 0x9E37_79B9_7F4A_7C15) { x = seed }

    package mutating func next() -> UInt64 {
        x ^= x << 13
        x ^= x >> 7
        x ^= x << 17
        return x
    }
}
