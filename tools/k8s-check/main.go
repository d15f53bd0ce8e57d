// k8s-check decodes Kubernetes manifests with Kubernetes' own Go types (client-go's
// scheme) in strict mode, as an API server with strict field validation does: an
// unknown or duplicated field, a value of the wrong type or an unknown kind is an error.
// It needs no cluster. Used by tools/src/deploy/deploy.e2e.spec.ts on deploy/kubernetes.
//
//	k8s-check <manifest.yaml>...
//
// Prints one line per document ("<file>: document <n>: <group/version, kind> ok" or the
// error) and exits 1 when any document fails.
package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/runtime/serializer"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"k8s.io/client-go/kubernetes/scheme"
)

func main() {
	decoder := serializer.NewCodecFactory(scheme.Scheme, serializer.EnableStrict).UniversalDeserializer()
	failed := false
	for _, file := range os.Args[1:] {
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Printf("%s: %v\n", file, err)
			failed = true
			continue
		}
		reader := utilyaml.NewYAMLReader(bufio.NewReader(bytes.NewReader(data)))
		for n := 1; ; n++ {
			doc, err := reader.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				fmt.Printf("%s: document %d: %v\n", file, n, err)
				failed = true
				break
			}
			if len(bytes.TrimSpace(doc)) == 0 {
				continue
			}
			_, gvk, err := decoder.Decode(doc, nil, nil)
			if err != nil {
				fmt.Printf("%s: document %d: %v\n", file, n, err)
				failed = true
				continue
			}
			fmt.Printf("%s: document %d: %s ok\n", file, n, gvk.String())
		}
	}
	if failed {
		os.Exit(1)
	}
}
