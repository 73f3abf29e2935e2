package event

// UUIDTextLen is the length of a uuid's text form.
const UUIDTextLen = 36

const hexLower = "0123456789abcdef"

// newUUID makes a version 4, RFC 4122 variant uuid from 128 random bits.
func newUUID(hi, lo uint64) [16]byte {
	var u [16]byte
	for i := range 8 {
		u[i] = byte(hi >> (56 - 8*i))
		u[8+i] = byte(lo >> (56 - 8*i))
	}
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

// AppendUUID appends the canonical lowercase 8-4-4-4-12 form.
func AppendUUID(dst []byte, u [16]byte) []byte {
	for i, b := range u {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst = append(dst, '-')
		}
		dst = append(dst, hexLower[b>>4], hexLower[b&0x0f])
	}
	return dst
}

// uuidHex are the offsets of the 16 hex pairs in the 8-4-4-4-12 form.
var uuidHex = [16]int{0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34}

// ParseUUID reads the 8-4-4-4-12 hex form (either case).
func ParseUUID(b []byte) ([16]byte, bool) {
	var u [16]byte
	if len(b) != 36 || b[8] != '-' || b[13] != '-' || b[18] != '-' || b[23] != '-' {
		return u, false
	}
	for j, i := range uuidHex {
		hi, lo := unhex[b[i]], unhex[b[i+1]]
		if hi|lo > 0xf {
			return u, false
		}
		u[j] = hi<<4 | lo
	}
	return u, true
}

// unhex maps a hex digit to its value and anything else to 0xff.
var unhex = func() (t [256]byte) {
	for c := range t {
		t[c] = 0xff
	}
	for i, c := range "0123456789abcdef" {
		t[c] = byte(i)
	}
	for i, c := range "ABCDEF" {
		t[c] = byte(10 + i)
	}
	return t
}()
