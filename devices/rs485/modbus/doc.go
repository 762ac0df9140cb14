// Package modbus is the Modbus RTU master the RS485 transport speaks to
// call buttons and lock boards: read coils (0x01), read discrete inputs
// (0x02), read holding registers (0x03), write a single coil (0x05) and
// write multiple registers (0x10).
//
// A frame is address, function, data and the CRC-16/MODBUS, low byte
// first; 3.5 characters of silence end it. The master sends one request at
// a time, reads the answer to the length its function and byte count give
// within the response timeout, and asks again, up to its retries, when the
// answer does not come or comes corrupt (bad CRC, another device's, cut
// short); a device's exception answer (function | 0x80, code) is its
// answer. Corrupt answers and missing ones are counted.
package modbus
