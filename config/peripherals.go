package config

// The hall's hardware beyond GPIO pins: the kiosks' slip printers and
// ID-card readers, the RS485 buses of call buttons and lock boards, and the
// controllers of the LED bars over the windows. A connection given as "sim"
// is the transport's simulator in the repo, so the demo hall and the tests
// run without the hardware.

// Sim is the connection that names a transport's simulator.
const Sim = "sim"

// KioskDevices are the devices of one kiosk (取号机).
type KioskDevices struct {
	// ID names the kiosk; its page opens as /kiosk?kiosk=ID.
	ID string `yaml:"id"`
	// Address is the kiosk's network address: the server prints the slips
	// of tickets taken from it only. Empty: any address of server.kiosks.
	Address string `yaml:"address"`
	// Printer is the 80 mm thermal slip printer (ESC/POS).
	Printer *Printer `yaml:"printer"`
	// CardReader reads the citizen's 居民身份证.
	CardReader *CardReader `yaml:"card_reader"`
}

// Printer is an ESC/POS slip printer: on the network (raw TCP, port 9100)
// or a USB printer device.
type Printer struct {
	// Address is host:port (port 9100 when none), a device path such as
	// /dev/usb/lp0, or "sim".
	Address string `yaml:"address"`
	// Encoding of Chinese text: GB18030 (the default) is what the printers
	// sold here speak.
	Encoding string `yaml:"encoding"`
	// Dots is the printable width in dots: 576 on 80 mm paper (default), 384 on 58 mm.
	Dots int `yaml:"dots"`
}

// CardReader is a 居民身份证 reader: in keyboard mode it types the number
// into the page's field itself; a serial reader is read by the server.
type CardReader struct {
	Mode string `yaml:"mode"` // keyboard or serial
	// Port is the serial device (/dev/ttyUSB1) or "sim"; serial mode only.
	Port string `yaml:"port"`
	Baud int    `yaml:"baud"` // 115200 when 0
}

// Bus is an RS485 bus of call buttons and lock boards, polled by the server.
type Bus struct {
	Name string `yaml:"name"`
	// Port is the serial device (/dev/ttyUSB0) or "sim".
	Port     string `yaml:"port"`
	Baud     int    `yaml:"baud"`      // 9600 when 0
	Parity   string `yaml:"parity"`    // N, E or O; N when empty
	StopBits int    `yaml:"stop_bits"` // 1 or 2; 1 when 0
	// TimeoutMS is how long a device has to answer; 100 when 0.
	TimeoutMS int `yaml:"timeout_ms"`
	// Retries is how many times a request is sent again before the device
	// counts as silent; 2 when 0.
	Retries int `yaml:"retries"`
	// PollMS is how often each device is asked for its inputs; 50 when 0.
	PollMS int `yaml:"poll_ms"`
}

// LEDController drives the LED bars over the windows.
type LEDController struct {
	Name string `yaml:"name"`
	// Address is host:port of a networked controller, a serial device, or "sim".
	Address string `yaml:"address"`
	Baud    int    `yaml:"baud"` // serial only; 9600 when 0
	// Encoding of the text sent: GB18030 (the default), which the
	// controllers' Chinese fonts are indexed by, or UTF-8.
	Encoding string `yaml:"encoding"`
}

// LEDBar is a window's LED bar on a controller.
type LEDBar struct {
	Controller string `yaml:"controller"`
	// Address is the bar's number on its controller.
	Address int `yaml:"address"`
	// Width is the bar's width in cells (a Chinese character is two); 16 when 0.
	Width int `yaml:"width"`
}
