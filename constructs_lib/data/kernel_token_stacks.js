'use strict';
// Preloaded (`node --require`) into the jsii kernel by constructs_lib/_jsii/kernel_launch.py, while the speed
// tricks are on (`ECS_CDKTF_FAST=off`: never loaded).
//
// cdktf (and CDK Terrain) record, for every token they create (each attribute reference, each Lazy value, each
// intrinsic), the complete stack trace of its creation, with Error.stackTraceLimit lifted, as an array of strings.
// That array is read only to write the text of an error, when such a token later fails to resolve. In a 600-stack
// synth it is about 100 MiB of the kernel's memory and a tenth of its time. Here `captureStackTrace` of the
// engine's lib/tokens/private/stack-trace.js (used for tokens only; annotations' traces come from the constructs
// package) returns an empty trace, which the engine already handles: such an error then has no "Object creation
// stack" section. What the kernel synthesizes is unchanged (tests/test_fast_kernel.py compares); to see those
// stacks in an error, synthesize with ECS_CDKTF_FAST=off.
const Module = require('module');

const TOKEN_TRACE = /[\\/](?:cdktf|cdktn)[\\/](?:.*[\\/])?lib[\\/]tokens[\\/]private[\\/]stack-trace\.js$/;
const loadJavaScript = Module._extensions['.js'];

Module._extensions['.js'] = function loadSkippingTokenStacks(module, filename) {
  loadJavaScript.call(this, module, filename);
  if (TOKEN_TRACE.test(filename) && typeof module.exports.captureStackTrace === 'function') {
    module.exports.captureStackTrace = function noTokenStack() {
      return [];
    };
  }
};
