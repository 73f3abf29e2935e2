package sim

const uuidTextLen = 36

const hexDigits = "0123456789abcdef"

// formatUUID writes id as 8-4-4-4-12 lowercase hex into dst[:36].
func formatUUID(dst []byte, id [16]byte) {
	j := 0
	for i, b := range id {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			dst[j] = '-'
			j++
		}
		dst[j] = hexDigits[b>>4]
		dst[j+1] = hexDigits[b&0xf]
		j += 2
	}
}
