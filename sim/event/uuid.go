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
