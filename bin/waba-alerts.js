#!/usr/bin/env node
// Entry point of the `waba-alerts` command: runs the compiled CLI.
import "../dist/main.js";
