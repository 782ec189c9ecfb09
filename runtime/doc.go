// Package runtime is what every generated task binary links: points and
// batches, the node implementations, group state, alert state and
// handlers, line-protocol ingest, replay and recording, the HTTP API.
//
// Generated code (package main, written by codegen) constructs the
// pipeline by calling the New* constructors with configuration known at
// compile time and links nodes with Link; lambdas arrive as plain Go
// functions. Nodes call their children directly (depth first, in child
// creation order), so a linear chain costs a function call per node, not
// a channel send.
//
// Data ownership: a Point or Batch handed to a child is read-only for
// the child. A node that changes data (eval, default, delete, shift, …)
// makes its own copy first (Point.Clone / Fields.Clone), because siblings
// receive the same value.
//
// This package must not import the compiler.
package runtime
