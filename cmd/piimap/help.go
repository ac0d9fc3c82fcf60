package main

import (
	"fmt"
	"slices"
	"strings"
)

// HelpCmd is `piimap help [TOPIC]`.
type HelpCmd struct {
	Topic string `arg:"" optional:"" help:"A topic (see the list) or a command name."`
}

// helpTopics are the topics of `piimap help`, each a short page.
var helpTopics = map[string]string{
	"baselines": `Baselines: accept what is there today, fail on what is new.

  piimap scan . --write-baseline piimap-baseline.json    # accept today's findings
  piimap scan . --baseline piimap-baseline.json          # later: fails only on new values

A baseline holds, per accepted finding, its location fingerprint and the keyed
fingerprints of its values (HMAC-SHA256, never the values). A finding is
ignored (reason "baseline") only when the baseline knows every value it holds;
one new value fails the run and the finding says "1 new value". The same
values under a new file name stay accepted. A finding keeps at most 10,000
value fingerprints; past that counts are compared. See 'piimap help keys'.`,
	"keys": `The fingerprint key.

Value fingerprints are keyed: an unkeyed hash of an 11-digit fødselsnummer is
reversed by hashing every valid number, which takes seconds. The key comes
from $PIIMAP_FINGERPRINT_KEY (a CI secret), else from the key file
(--fingerprint-key-file, default .piimap/fingerprint.key beside the
declaration or in the working directory). --write-baseline creates the key
file (mode 0600, with a .gitignore) when there is no key. Never commit it.
Reports and baselines carry only the key's id.

Rotating: check that 'piimap scan --baseline …' passes; write a new key
(umask 077; openssl rand -hex 32 > .piimap/fingerprint.key) and put it in the
CI secret; write the baseline again with --write-baseline and commit it.`,
	"declaration": `The declaration (piimap.yaml) says which categories your privacy policy
declares, and where each may live:

  organisation: Lillemini AS
  declared:
    email:
      where: ["postgres://*/shop/public.customers.*", "file:exports/**"]
    phone: {}
  ignore:
    - where: "file:testdata/**"

Categories: national_id email phone ip_address payment_card bank_account name
address date_of_birth credentials, and the categories of user-defined
detectors (detectors: in piimap.yaml, --rules FILE). piimap scan reads
--declared FILE, else
piimap.yaml in the working directory, else piimap.yaml in the scanned
directory. Draft one from a policy text: piimap declare policy.txt.

Globs match locations: file:logs/app.log, file:exports/kunder.csv#fnr (a
column; "column 3" in a file without a header row), file:logs/ev.jsonl#user.email
(a key path; keys written like values are "*": users.*.tlf),
file:hr/#(file names) (the names of hr/'s files and folders),
postgres://db:5432/shop/public.customers.fnr. Globs match the real paths,
also where a report masks personal data in a file name. A file's path is
relative to the scanned directory; with several local targets (piimap scan
svc-a svc-b) it is the path as given, file:svc-a/logs/app.log.`,
	"formats": `Report formats (--format):

  table     for a terminal: fits its width, grouped by location, failing first
  json      the stable report (piimap.report/v1), read by --baseline, merge, diff
  ndjson    one finding per line, streamed while scanning
  csv       one row per finding, with failing and outcome columns
  sarif     SARIF 2.1.0 for GitHub code scanning (see 'piimap help sarif')
  markdown  a pull-request comment: failing findings first
  html      one self-contained file for audits

Render several formats from one scan: piimap merge piimap.json -f sarif -o x.sarif`,
	"sarif": `SARIF for GitHub code scanning.

One rule per detector the scan ran, with help, precision and security-severity.
Results are the undeclared, misplaced and failing findings (--sarif-all adds
declared and ignored ones); level error when the finding fails the run.
partialFingerprints.primaryLocationLineHash is the keyed location fingerprint.
Database columns and SMB files are anchored on piimap.yaml with the real place
as a logical location. Upload with github/codeql-action/upload-sarif.`,
	"exit-codes": `Exit codes:

  0  no failing verdicts
  1  failing verdicts (--fail-on, at or above --fail-confidence)
  2  usage or configuration error
  3  some locations could not be read, or the scan was interrupted`,
	"ci": `CI: the GitHub Action (action.yml) scans, uploads SARIF and comments Markdown
on pull requests; the pre-commit hook (.pre-commit-hooks.yaml) scans staged
files. Both run the commands of scripts/ci-integrations.sh. Keep the key in a
CI secret (PIIMAP_FINGERPRINT_KEY) and commit the baseline. docs/ci.md has
GitHub Actions and GitLab examples.`,
	"ignore": `Ignoring findings.

  - ignore rules in piimap.yaml (where, category, fingerprint, note);
  - a baseline (--baseline), see 'piimap help baselines';
  - an inline comment on the line of a fixture in code:
        fnr = "15038712486"  # piimap:ignore
        card = "4111…"       // piimap:ignore payment_card
    The finding is counted as ignored, with the comment as its reason.`,
	"stdin": `Scanning standard input: the target "-".

  git show HEAD:config/users.csv | piimap scan - --stdin-name config/users.csv
  kubectl logs pod/api | piimap scan -

--stdin-name names the content (file:NAME in the report, and its extension
tells the format); default file:stdin. Compressed input is decompressed.`,
	"databases": `Scanning databases: what is read, and what may be missed.

  piimap scan postgres://piimap@db/shop --tables 'public.*'
  piimap scan mysql://piimap@db/shop --budget 30s --database-budget 1h

Each table is sampled (--sample-rows, default 10,000; small tables are read
whole), inside a read-only transaction with a statement timeout. The report
says per table how it was read and what a sample may miss: "a value in fewer
than 0.03 % of rows may be missed". --full reads every row.

--budget D reads on after the sample for up to D per table, in page ranges
(PostgreSQL 14+) or primary-key ranges (MariaDB/MySQL), until the table is
covered ("all rows read"). --database-budget D bounds that reading for all
tables of one database target together. --max-rows-per-second (default
100,000) throttles it for the database as a whole, however many workers read
its tables at once: safe on a production replica.`,
}

// Run prints a topic, a command's help, or the usage and the topic list.
func (c HelpCmd) Run(env *Env) error {
	t := strings.ToLower(strings.TrimSpace(c.Topic))
	if t == "baseline" || t == "key" || t == "exit" || t == "exit-code" {
		t = map[string]string{"baseline": "baselines", "key": "keys", "exit": "exit-codes", "exit-code": "exit-codes"}[t]
	}
	if text, ok := helpTopics[t]; ok {
		fmt.Fprintln(env.Stdout, text)
		return nil
	}
	if t != "" {
		for _, n := range env.parser.Model.Children {
			if n.Name == t {
				_, err := env.parser.Parse([]string{t, "--help"})
				return err
			}
		}
		return &exitError{code: 2, err: fmt.Errorf("help: no topic or command %q; topics: %s", c.Topic, strings.Join(topicNames(), ", "))}
	}
	_, err := env.parser.Parse([]string{"--help"})
	return err
}

func topicNames() []string {
	var out []string
	for k := range helpTopics {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
