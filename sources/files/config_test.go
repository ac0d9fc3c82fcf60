package files

import "testing"

// TestSniffConfig: configuration files of key = value lines are read by
// key path; markup and nsswitch.conf's "database: sources" lines are not.
func TestSniffConfig(t *testing.T) {
	for _, c := range []struct {
		name, head string
		want       textFormat
	}{
		{"etc/mysql/my.cnf", "[client]\nuser = app\n", formatConfig},
		{"app/.env", "DB_PASSWORD=x\n", formatConfig},
		{"app/.env.production", "DB_PASSWORD=x\n", formatConfig},
		{"src/main/resources/application.properties", "spring.datasource.password=x\n", formatConfig},
		{"pyproject.toml", "[project]\nname = \"x\"\n", formatConfig},
		{"setup.cfg.gz", "[metadata]\nauthor = Kari Nordmann\n", formatConfig},
		{"home/.gitconfig", "[user]\n\tname = Kari\n", formatConfig},
		{"etc/nsswitch.conf", "passwd: files systemd\n", formatPlain},
		{"dbus-1/system.conf", "<!-- the system bus -->\n<busconfig>\n", formatPlain},
		{"app/config.json", "{\"password\": \"x\"}\n", formatJSONDoc},
		{"notes.txt", "password = x\n", formatPlain},
	} {
		if got, _ := sniffFormat(c.name, []byte(c.head)); got != c.want {
			t.Errorf("%s: format %d, want %d", c.name, got, c.want)
		}
	}
}
