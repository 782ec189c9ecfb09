package runtime

import (
	"encoding/binary"
	"math"
	"math/bits"
)

// Decimal field values of the fast line path (parseFast): most field
// values of a recording are floats with 16 or 17 significant digits, so
// the digits are found and converted eight at a time (SWAR), and the
// mantissa is scaled by a 128-bit power of ten (Eisel–Lemire) rather
// than divided.

// decimalFieldValue decodes a field value that is a plain decimal number
// ending at a comma, a space or the end of b: a float `[-]digits[.digits]`
// or an integer `[-]digits i`, with at most 19 digits (18 for integers).
// It returns the value and its length, 0 for any other value.
func decimalFieldValue(b []byte) (Value, int) {
	if len(b) < 17 {
		return decimalFieldValueAny(b)
	}
	// Mostly a value with at most 7 digits before the point, in a line
	// that goes on: eight bytes for them and one to three groups of
	// eight for the fraction, each load checked once against len(b); the
	// rest for decimalFieldValueAny.
	j, neg := 0, false
	if b[0] == '-' {
		neg, j = true, 1
	}
	w := binary.LittleEndian.Uint64(b[j:])
	mask := nonDigitMask(w)
	if mask == 0 {
		return decimalFieldValueAny(b)
	}
	n := bits.TrailingZeros64(mask) >> 3 // 0 to 7
	m := parseEightDigits(w << (64 - 8*n))
	j += n
	switch b[j] {
	case '.':
		fs := j + 1 // at most 9: b[fs+7] is in b
		f := 0
		w = binary.LittleEndian.Uint64(b[fs:])
		if mask = nonDigitMask(w); mask != 0 {
			f = bits.TrailingZeros64(mask) >> 3
			m = m*pow10u64[f] + parseEightDigits(w<<(64-8*f))
		} else if fs+16 > len(b) {
			return decimalFieldValueAny(b)
		} else {
			m = m*1e8 + parseEightDigits(w)
			w = binary.LittleEndian.Uint64(b[fs+8:])
			if mask = nonDigitMask(w); mask != 0 {
				k := bits.TrailingZeros64(mask) >> 3
				f = 8 + k
				m = m*pow10u64[k] + parseEightDigits(w<<(64-8*k))
			} else if fs+24 > len(b) {
				return decimalFieldValueAny(b)
			} else {
				m = m*1e8 + parseEightDigits(w)
				w = binary.LittleEndian.Uint64(b[fs+16:])
				if mask = nonDigitMask(w); mask == 0 {
					return Value{}, 0 // too many digits
				}
				k := bits.TrailingZeros64(mask) >> 3
				f = 16 + k
				if n+f > 19 {
					return Value{}, 0 // m has wrapped
				}
				m = m*pow10u64[k] + parseEightDigits(w<<(64-8*k))
			}
		}
		if n+f == 0 || n+f > 19 {
			return Value{}, 0
		}
		j = fs + f
		if c := b[j]; c != ',' && c != ' ' {
			return Value{}, 0 // an 'i' after a point too
		}
		x := decimalToFloat(m, f)
		if neg {
			x = -x
		}
		return Float(x), j
	case 'i':
		if n == 0 {
			return Value{}, 0
		}
		j++
		if c := b[j]; c != ',' && c != ' ' {
			return Value{}, 0
		}
		i := int64(m)
		if neg {
			i = -i
		}
		return Int(i), j
	case ',', ' ':
		if n == 0 {
			return Value{}, 0
		}
		x := float64(m)
		if neg {
			x = -x
		}
		return Float(x), j
	}
	return Value{}, 0
}

// decimalFieldValueAny is decimalFieldValue for any b.
func decimalFieldValueAny(b []byte) (Value, int) {
	j, neg := 0, false
	if len(b) > 0 && b[0] == '-' {
		neg, j = true, 1
	}
	// The integer part is mostly one to three digits: a byte at a time
	// (measured: fewer instructions than a group of eight). Beyond 19
	// digits m wraps and the number is rejected: a run is not read past
	// 20 digits here, 24 in the fraction.
	var m uint64
	start := j
	for j < len(b) && j-start < 20 {
		c := b[j] - '0'
		if c > 9 {
			break
		}
		m = m*10 + uint64(c)
		j++
	}
	digits, frac := j-start, -1
	if j < len(b) && b[j] == '.' {
		// The fraction eight digits at a time: whole groups, then the n
		// digits of the last group moved to the top of v, the zero bytes
		// below them reading as leading '0's (n == 0 shifts v out).
		j++
		fs := j
		v := load8(b, j)
		n := digitCount(v)
		for n == 8 && j-fs < 16 {
			m = m*1e8 + parseEightDigits(v)
			j += 8
			v = load8(b, j)
			n = digitCount(v)
		}
		m = m*pow10u64[n] + parseEightDigits(v<<(64-8*n))
		j += n
		frac = j - fs
		digits += frac
	}
	if digits == 0 || digits > 19 {
		return Value{}, 0
	}
	if j < len(b) && b[j] == 'i' {
		if frac >= 0 || digits > 18 {
			return Value{}, 0
		}
		j++
		if j < len(b) && b[j] != ',' && b[j] != ' ' {
			return Value{}, 0
		}
		n := int64(m)
		if neg {
			n = -n
		}
		return Int(n), j
	}
	if j < len(b) && b[j] != ',' && b[j] != ' ' {
		return Value{}, 0
	}
	f := decimalToFloat(m, max(frac, 0))
	if neg {
		f = -f
	}
	return Float(f), j
}

// decimalFieldLen returns the length of the value decimalFieldValue
// decodes, 0 when it would not: the value is checked, not decoded.
func decimalFieldLen(b []byte) int {
	if len(b) < 17 {
		return decimalFieldLenAny(b)
	}
	// As decimalFieldValue: mostly at most 7 digits before the point,
	// then one to three groups of eight.
	j := 0
	if b[0] == '-' {
		j = 1
	}
	mask := nonDigitMask(binary.LittleEndian.Uint64(b[j:]))
	if mask == 0 {
		return decimalFieldLenAny(b)
	}
	n := bits.TrailingZeros64(mask) >> 3 // 0 to 7
	j += n
	switch b[j] {
	case '.':
		fs := j + 1 // at most 9: b[fs+7] is in b
		f := 0
		if mask = nonDigitMask(binary.LittleEndian.Uint64(b[fs:])); mask != 0 {
			f = bits.TrailingZeros64(mask) >> 3
		} else if fs+16 > len(b) {
			return decimalFieldLenAny(b)
		} else if mask = nonDigitMask(binary.LittleEndian.Uint64(b[fs+8:])); mask != 0 {
			f = 8 + bits.TrailingZeros64(mask)>>3
		} else if fs+24 > len(b) {
			return decimalFieldLenAny(b)
		} else if mask = nonDigitMask(binary.LittleEndian.Uint64(b[fs+16:])); mask != 0 {
			f = 16 + bits.TrailingZeros64(mask)>>3
		} else {
			return 0 // too many digits
		}
		if n+f == 0 || n+f > 19 {
			return 0
		}
		j = fs + f
		if c := b[j]; c == ',' || c == ' ' {
			return j
		}
		return 0 // an 'i' after a point too
	case 'i':
		if n == 0 {
			return 0
		}
		j++
		if c := b[j]; c == ',' || c == ' ' {
			return j
		}
		return 0
	case ',', ' ':
		if n == 0 {
			return 0
		}
		return j
	}
	return 0
}

// decimalFieldLenAny is decimalFieldLen for any b.
func decimalFieldLenAny(b []byte) int {
	j := 0
	if len(b) > 0 && b[0] == '-' {
		j = 1
	}
	start := j
	n := digitCount(load8(b, j))
	for n == 8 && j-start < 16 {
		j += 8
		n = digitCount(load8(b, j))
	}
	j += n
	digits, frac := j-start, -1
	if j < len(b) && b[j] == '.' {
		j++
		fs := j
		n = digitCount(load8(b, j))
		for n == 8 && j-fs < 16 {
			j += 8
			n = digitCount(load8(b, j))
		}
		j += n
		frac = j - fs
		digits += frac
	}
	if digits == 0 || digits > 19 {
		return 0
	}
	if j < len(b) && b[j] == 'i' {
		if frac >= 0 || digits > 18 {
			return 0
		}
		j++
	}
	if j < len(b) && b[j] != ',' && b[j] != ' ' {
		return 0
	}
	return j
}

// digitCount returns how many of the eight bytes of v, from the lowest,
// are ASCII digits before the first that is not (8 if all are).
func digitCount(v uint64) int {
	return bits.TrailingZeros64(nonDigitMask(v)) >> 3
}

// load8 returns the eight bytes at b[j:], the first in the lowest byte;
// bytes past the end of b read as 0, which is not a digit.
func load8(b []byte, j int) uint64 {
	if j+8 <= len(b) {
		return binary.LittleEndian.Uint64(b[j:])
	}
	if len(b) >= 8 {
		// The last eight bytes shifted down to start at b[j] (a shift
		// of 64 or more leaves 0).
		return binary.LittleEndian.Uint64(b[len(b)-8:]) >> (8 * (j + 8 - len(b)))
	}
	return loadShort(b, j)
}

// loadShort is load8 for a b shorter than eight bytes.
func loadShort(b []byte, j int) uint64 {
	var v uint64
	for k := len(b) - 1; k >= j; k-- {
		v = v<<8 | uint64(b[k])
	}
	return v
}

// nonDigitMask returns the high bit of each byte of v that is not an
// ASCII digit: a byte t = c^'0' is a digit's when t < 10, that is when
// neither t nor t+0x76 reaches 0x80 (t's high bit is cleared before the
// addition so that no carry crosses into the next byte).
func nonDigitMask(v uint64) uint64 {
	t := v ^ 0x3030303030303030
	return ((t & 0x7F7F7F7F7F7F7F7F) + 0x7676767676767676 | t) & 0x8080808080808080
}

// parseEightDigits returns the number eight ASCII digits spell, the
// first digit in the lowest byte of v (only the low four bits of each
// byte are read).
func parseEightDigits(v uint64) uint64 {
	v = (v & 0x0F0F0F0F0F0F0F0F) * 2561 >> 8
	v = (v & 0x00FF00FF00FF00FF) * 6553601 >> 16
	return (v & 0x0000FFFF0000FFFF) * 42949672960001 >> 32
}

// decimalToFloat returns the float64 nearest to m / 10^frac (ties to
// even), as strconv.ParseFloat rounds, for frac <= 19.
func decimalToFloat(m uint64, frac int) float64 {
	if frac == 0 {
		return float64(m) // the conversion rounds correctly
	}
	if m <= 1<<53 {
		// Both m and 10^frac are exact: one division, one rounding.
		return float64(m) / exactPow10[frac]
	}
	if f, ok := eiselLemire(m, frac); ok {
		return f
	}
	return decimalToFloatExact(m, frac)
}

// eiselLemire returns m / 10^frac rounded as decimalToFloat does, for
// m > 0 and 1 <= frac <= 19, by the Eisel–Lemire algorithm (as in
// strconv): m times a 128-bit truncation of 10^-frac, whose top 54 bits
// give the float unless the truncation could change the rounding, when
// it reports false. The result is always a normal float64 here
// (m / 10^frac >= 10^-19).
func eiselLemire(m uint64, frac int) (float64, bool) {
	clz := bits.LeadingZeros64(m)
	m <<= uint(clz)
	// floor(log2(10^-frac)) + 64 + bias - clz: 217706/2^16 ≈ log2(10).
	exp := uint64(217706*-frac>>16+64+1023) - uint64(clz)
	pow := &negPow10x128[frac-1]
	hi, lo := bits.Mul64(m, pow[0])
	// The nine bits below the 54 kept are all ones and the product's low
	// word could carry into them: bring in the power's low word.
	if hi&0x1FF == 0x1FF && lo+m < m {
		yHi, yLo := bits.Mul64(m, pow[1])
		mHi, mLo := hi, lo+yHi
		if mLo < lo {
			mHi++
		}
		if mHi&0x1FF == 0x1FF && mLo+1 == 0 && yLo+m < m {
			return 0, false
		}
		hi, lo = mHi, mLo
	}
	msb := hi >> 63
	mant := hi >> (msb + 9)
	exp -= 1 ^ msb
	// Possibly an exact tie, which the truncation cannot tell.
	if lo == 0 && hi&0x1FF == 0 && mant&3 == 1 {
		return 0, false
	}
	mant += mant & 1 // round the 54 bits to 53
	mant >>= 1
	if mant>>53 > 0 {
		mant >>= 1
		exp++
	}
	return math.Float64frombits(exp<<52 | mant&(1<<52-1)), true
}

// negPow10x128 holds 10^-1 … 10^-19 as 128-bit mantissas {high, low}
// with the top bit set, truncated (TestNegPow10x128 checks them).
var negPow10x128 = [19][2]uint64{
	{0xCCCCCCCCCCCCCCCC, 0xCCCCCCCCCCCCCCCC}, // 1e-1
	{0xA3D70A3D70A3D70A, 0x3D70A3D70A3D70A3}, // 1e-2
	{0x83126E978D4FDF3B, 0x645A1CAC083126E9}, // 1e-3
	{0xD1B71758E219652B, 0xD3C36113404EA4A8}, // 1e-4
	{0xA7C5AC471B478423, 0x0FCF80DC33721D53}, // 1e-5
	{0x8637BD05AF6C69B5, 0xA63F9A49C2C1B10F}, // 1e-6
	{0xD6BF94D5E57A42BC, 0x3D32907604691B4C}, // 1e-7
	{0xABCC77118461CEFC, 0xFDC20D2B36BA7C3D}, // 1e-8
	{0x89705F4136B4A597, 0x31680A88F8953030}, // 1e-9
	{0xDBE6FECEBDEDD5BE, 0xB573440E5A884D1B}, // 1e-10
	{0xAFEBFF0BCB24AAFE, 0xF78F69A51539D748}, // 1e-11
	{0x8CBCCC096F5088CB, 0xF93F87B7442E45D3}, // 1e-12
	{0xE12E13424BB40E13, 0x2865A5F206B06FB9}, // 1e-13
	{0xB424DC35095CD80F, 0x538484C19EF38C94}, // 1e-14
	{0x901D7CF73AB0ACD9, 0x0F9D37014BF60A10}, // 1e-15
	{0xE69594BEC44DE15B, 0x4C2EBE687989A9B3}, // 1e-16
	{0xB877AA3236A4B449, 0x09BEFEB9FAD487C2}, // 1e-17
	{0x9392EE8E921D5D07, 0x3AFF322E62439FCF}, // 1e-18
	{0xEC1E4A7DB69561A5, 0x2B31E9E3D06C32E5}, // 1e-19
}

// decimalToFloatExact is decimalToFloat for m > 2^53 by exact integer
// division: scale m by 2^s so that the quotient q = m·2^s / 10^frac has
// 63 or 64 bits, round q to 53 bits with the remainder as the sticky
// bit, and give the result the exponent -s.
func decimalToFloatExact(m uint64, frac int) float64 {
	d := pow10u64[frac]
	s := 64 + bits.Len64(d) - bits.Len64(m)
	hi, lo := shl128(m, s)
	if hi >= d {
		s--
		hi, lo = shl128(m, s)
	}
	q, r := bits.Div64(hi, lo, d)
	shift := bits.Len64(q) - 53
	mant := q >> shift
	rest, half := q&(1<<shift-1), uint64(1)<<(shift-1)
	if rest > half || (rest == half && (r != 0 || mant&1 == 1)) {
		mant++
		if mant == 1<<53 {
			mant >>= 1
			shift++
		}
	}
	// mant is in [2^52, 2^53): the value mant·2^(shift-s) is a normal
	// float64 with that exponent.
	exp := uint64(shift - s + 52 + 1023)
	return math.Float64frombits(exp<<52 | mant&(1<<52-1))
}

// shl128 returns m·2^s as a 128-bit number, 0 <= s < 128.
func shl128(m uint64, s int) (hi, lo uint64) {
	switch {
	case s == 0:
		return 0, m
	case s < 64:
		return m >> (64 - s), m << s
	}
	return m << (s - 64), 0
}

// pow10u64 are the powers of ten a uint64 holds.
var pow10u64 = [...]uint64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
	1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19}
