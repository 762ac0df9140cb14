package modbus

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Function codes this package speaks.
const (
	ReadCoils              byte = 0x01
	ReadDiscreteInputs     byte = 0x02
	ReadHoldingRegisters   byte = 0x03
	WriteSingleCoil        byte = 0x05
	WriteMultipleRegisters byte = 0x10
)

// Exception codes a device answers with.
const (
	IllegalFunction    byte = 0x01
	IllegalDataAddress byte = 0x02
	IllegalDataValue   byte = 0x03
	DeviceFailure      byte = 0x04
	DeviceBusy         byte = 0x06
)

// Limits of one request, as the protocol sets them.
const (
	MaxBits      = 2000 // coils or discrete inputs read at once
	MaxRegisters = 123  // registers written at once
	MaxReadRegs  = 125  // registers read at once
	coilOn       = 0xFF00
)

// Frame is one request or answer without its CRC: the device's address,
// the function and the function's data.
type Frame struct {
	Address  byte
	Function byte
	Data     []byte
}

// Encode is the frame on the wire: address, function, data, CRC.
func (f Frame) Encode() []byte {
	b := make([]byte, 0, len(f.Data)+4)
	b = append(b, f.Address, f.Function)
	b = append(b, f.Data...)
	return seal(b)
}

// ErrCRC is a frame whose CRC does not match its bytes: a corrupt answer,
// noise on the line or two devices talking at once.
var ErrCRC = errors.New("modbus: frame with a bad CRC")

// ErrFrame is an answer that is not the answer to the request: another
// device's, another function's, or of the wrong length.
var ErrFrame = errors.New("modbus: unexpected frame")

// Decode parses a whole frame, checking its CRC.
func Decode(frame []byte) (Frame, error) {
	if !sound(frame) {
		return Frame{}, ErrCRC
	}
	return Frame{Address: frame[0], Function: frame[1], Data: frame[2 : len(frame)-2]}, nil
}

// Exception is a device's refusal of a request.
type Exception struct {
	Function byte
	Code     byte
}

func (e *Exception) Error() string {
	words := map[byte]string{
		IllegalFunction: "illegal function", IllegalDataAddress: "illegal data address",
		IllegalDataValue: "illegal data value", DeviceFailure: "device failure", DeviceBusy: "device busy",
	}[e.Code]
	if words == "" {
		words = "exception"
	}
	return fmt.Sprintf("modbus: function %#02x refused: %s (%#02x)", e.Function, words, e.Code)
}

// RequestLength is how long the request that begins with head is, as a
// device reads it: 0 when head is too short to tell, -1 when its function
// is not one this package knows (the device waits for the line's silence).
func RequestLength(head []byte) int {
	if len(head) < 2 {
		return 0
	}
	switch head[1] {
	case ReadCoils, ReadDiscreteInputs, ReadHoldingRegisters, WriteSingleCoil:
		return 8
	case WriteMultipleRegisters:
		if len(head) < 7 {
			return 0
		}
		return 9 + int(head[6])
	}
	return -1
}

// answerLength is how long the answer that begins with head is, as the
// master reads it: 0 when head is too short to tell, -1 when no answer
// begins so.
func answerLength(head []byte) int {
	if len(head) < 2 {
		return 0
	}
	fn := head[1]
	switch {
	case fn&0x80 != 0:
		return 5
	case fn == ReadCoils || fn == ReadDiscreteInputs || fn == ReadHoldingRegisters:
		if len(head) < 3 {
			return 0
		}
		return 5 + int(head[2])
	case fn == WriteSingleCoil || fn == WriteMultipleRegisters:
		return 8
	}
	return -1
}

// ReadRequest asks for count coils, discrete inputs or holding registers
// from start.
func ReadRequest(addr, fn byte, start, count uint16) Frame {
	return Frame{Address: addr, Function: fn, Data: be16(start, count)}
}

// CoilRequest switches one coil.
func CoilRequest(addr byte, coil uint16, on bool) Frame {
	v := uint16(0)
	if on {
		v = coilOn
	}
	return Frame{Address: addr, Function: WriteSingleCoil, Data: be16(coil, v)}
}

// RegistersRequest writes registers from start.
func RegistersRequest(addr byte, start uint16, values []uint16) Frame {
	d := be16(start, uint16(len(values)))
	d = append(d, byte(2*len(values)))
	d = append(d, be16(values...)...)
	return Frame{Address: addr, Function: WriteMultipleRegisters, Data: d}
}

func be16(vs ...uint16) []byte {
	b := make([]byte, 0, 2*len(vs))
	for _, v := range vs {
		b = binary.BigEndian.AppendUint16(b, v)
	}
	return b
}

// Uint16s reads big-endian registers.
func Uint16s(b []byte) []uint16 {
	out := make([]uint16, len(b)/2)
	for i := range out {
		out[i] = binary.BigEndian.Uint16(b[2*i:])
	}
	return out
}

// PackBits packs bits as the protocol does: the first bit is the lowest
// bit of the first byte.
func PackBits(bits []bool) []byte {
	b := make([]byte, (len(bits)+7)/8)
	for i, on := range bits {
		if on {
			b[i/8] |= 1 << (i % 8)
		}
	}
	return b
}

// UnpackBits is PackBits' reverse for n bits.
func UnpackBits(b []byte, n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = b[i/8]&(1<<(i%8)) != 0
	}
	return out
}
