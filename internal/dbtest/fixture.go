package dbtest

import (
	"fmt"
	"net/url"
)

// DBURLs derives from the admin URL of a server the URLs of database db:
// as the admin (dbAdmin) and as user with password (dbUser). It returns
// the parsed admin URL too.
func DBURLs(admin, db, user, password string) (u *url.URL, dbAdmin, dbUser string, err error) {
	u, err = url.Parse(admin)
	if err != nil {
		return nil, "", "", fmt.Errorf("admin URL: %w", err)
	}
	su := *u
	su.Path = "/" + db
	sc := su
	sc.User = url.UserPassword(user, password)
	return u, su.String(), sc.String(), nil
}
