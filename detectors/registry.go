package detectors

// All returns a fresh instance of every built-in detector, in the order
// `piimap detectors` lists them.
func All() []Detector {
	return []Detector{
		// Detector constructors are added here, one line each.
		NewNoFnr(),
		NewSePersonnummer(nil), // nil: reference date from time.Now
		NewDkCPR(),
		NewFiHETU(),
		NewEmail(),
		NewPhone(),
		NewIPAddress(),
		NewPaymentCard(),
		NewNoBankAccount(),
		NewSeBankAccount(),
		NewIBAN(),
		NewURLCredentials(),
		NewInlinePassword(),
		NewDateOfBirth(nil), // nil: reference date from time.Now
		NewInlineName(),
	}
}

// Select filters detectors by id: include (empty = all) minus exclude.
// Unknown ids are returned in unknown so that the CLI can report them.
func Select(all []Detector, include, exclude []string) (out []Detector, unknown []string) {
	known := make(map[string]bool, len(all))
	for _, d := range all {
		known[d.ID()] = true
	}
	in := make(map[string]bool)
	for _, id := range include {
		if !known[id] {
			unknown = append(unknown, id)
		}
		in[id] = true
	}
	ex := make(map[string]bool)
	for _, id := range exclude {
		if !known[id] {
			unknown = append(unknown, id)
		}
		ex[id] = true
	}
	for _, d := range all {
		if (len(include) == 0 || in[d.ID()]) && !ex[d.ID()] {
			out = append(out, d)
		}
	}
	return out, unknown
}
