package modbus

// CRC16 is the CRC-16/MODBUS of b: polynomial 0x8005 reflected (0xA001),
// starting from 0xFFFF, no final XOR. A frame carries it low byte first.
func CRC16(b []byte) uint16 {
	crc := uint16(0xFFFF)
	for _, c := range b {
		crc ^= uint16(c)
		for range 8 {
			if crc&1 != 0 {
				crc = crc>>1 ^ 0xA001
			} else {
				crc >>= 1
			}
		}
	}
	return crc
}

// seal appends b's CRC, low byte first, making it a frame.
func seal(b []byte) []byte {
	crc := CRC16(b)
	return append(b, byte(crc), byte(crc>>8))
}

// sound reports whether a frame's last two bytes are the CRC of the rest.
func sound(frame []byte) bool {
	if len(frame) < 4 {
		return false
	}
	n := len(frame) - 2
	crc := CRC16(frame[:n])
	return frame[n] == byte(crc) && frame[n+1] == byte(crc>>8)
}
