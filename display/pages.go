package display

// pageWords are the words of the few pages the server writes itself, with
// no script to word them from the pages' dictionary: the page an address
// gets when it names a window or locker bank the hall does not have.
var pageWords = map[string]Words{
	"page.home":   {"返回首页", "Home"},
	"page.window": {"{window} 号窗口", "Window {window}"},
}

// PageWords words a key of the server's own pages; args are name, value
// pairs filling {name}. An unknown key words as itself.
func PageWords(key string, args ...string) Words {
	w, ok := pageWords[key]
	if !ok {
		return Words{ZH: key, EN: key}
	}
	m := map[string]string{}
	for i := 0; i+1 < len(args); i += 2 {
		m[args[i]] = args[i+1]
	}
	return Words{ZH: fill(w.ZH, m), EN: fill(w.EN, m)}
}
