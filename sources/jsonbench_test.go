package sources

import (
	"os"
	"testing"
)

func BenchmarkJSONWalkBoto(b *testing.B) {
	doc, err := os.ReadFile("/usr/lib/google-cloud-sdk/lib/third_party/botocore/data/ec2/2016-11-15/service-2.json")
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(doc)))
	var r JSONKeyReader
	var st JSONState
	for b.Loop() {
		r.ResetState(doc, nil)
		r.StateAt(len(doc), &st)
	}
}
