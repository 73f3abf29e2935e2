// Command benthos is Benthos v4 (the core of Redpanda Connect) with its
// pure and io components: enough to run streaming.yaml, the streaming
// half of pipesim's pipeline, for the README's throughput comparison.
// It is a module of its own so that pipesim never depends on Benthos.
package main

import (
	"context"

	_ "github.com/redpanda-data/benthos/v4/public/components/io"
	_ "github.com/redpanda-data/benthos/v4/public/components/pure"
	"github.com/redpanda-data/benthos/v4/public/service"
)

func main() { service.RunCLI(context.Background()) }
