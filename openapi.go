// Package overlap holds the API contract, embedded so the server can serve it
// and tests can hold every handler to it.
package overlap

import _ "embed"

// OpenAPI is the contents of openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte
