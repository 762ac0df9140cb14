// Package rs485 is the devices' RS485 transport: call buttons (呼叫器) with
// their number displays and locker control boards on serial buses, spoken
// to as a Modbus RTU master (package modbus). Beside the GPIO transport,
// behind devices.Mux, it reaches the pins of the device map named
// BUS@ADDRESS:ITEMn:
//
//	bus1@3:key1    key n of a caller        discrete input n-1, polled (0x02)
//	bus1@10:lock3  lock n of a lock board   coil n-1, switched (0x05) to pulse it
//	bus1@10:door3  door sensor n            discrete input n-1, polled (0x02)
//	bus1@3         the caller's display     holding registers 0-7 (0x10): 16 ASCII
//	                                        characters, two a register, high byte first
//
// One goroutine owns each bus: it polls its devices in turn and carries out
// the writes between two requests, one request on the line at a time. A
// polled bit that differs from the last is a settled change (the devices
// settle their own contacts). A device that stops answering, or answers
// garbled, is faulty: its inputs say so through Health, and it says so
// itself as the bus device bus:BUS@ADDRESS (Attach); its next answer makes
// it ok. A bus whose port is "sim" runs simulated devices (package
// rs485sim) on a pseudo-terminal whose other side the transport opens as
// its serial port, so the simulator exercises the real port code.
//
// What a key or a door means, and what a display shows, is package
// devices' and the hall's business; this package only moves bits and
// registers. docs/DEVICES.md has the frames.
package rs485
