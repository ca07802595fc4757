#!/usr/bin/env node
// Runs a model in ONNX Runtime (npm onnxruntime-node): the consumer our outputs must satisfy, and
// the reference our benchmarks compare against.
//
//   node tools/ort-run/ort_run.js MODEL [--input NAME=FILE.npy]... [--data DIR] [--out DIR]
//        [--opt disabled|basic|extended|all] [--threads N] [--bench N] [--json]
//        [--save-optimized FILE]
//
// --data DIR reads NAME.npy files; --out DIR writes output_<i>.npy in graph-output order.
// --bench N prints latency percentiles (p50_ms, p90_ms, p99_ms, mean_ms) of N runs after warm-up.
// --save-optimized writes the graph ONNX Runtime optimized (session option optimizedModelFilePath).
'use strict';
const fs = require('fs');
const path = require('path');

function loadOrt() {
  const roots = [path.resolve(__dirname, '../../node_modules'), process.cwd() + '/node_modules'];
  for (const root of roots) {
    try { return require(path.join(root, 'onnxruntime-node')); } catch (e) { /* next */ }
  }
  fail('onnxruntime-node is not installed: run scripts/setup.sh');
}

function fail(message) {
  process.stderr.write(`ort_run: error: ${message}\n`);
  process.exit(1);
}

// ----- .npy -----
const NPY_TYPES = {
  '<f4': ['float32', Float32Array], '<f8': ['float64', Float64Array], '<f2': ['float16', Uint16Array],
  '|i1': ['int8', Int8Array], '|u1': ['uint8', Uint8Array], '<i2': ['int16', Int16Array], '<u2': ['uint16', Uint16Array],
  '<i4': ['int32', Int32Array], '<u4': ['uint32', Uint32Array], '<i8': ['int64', BigInt64Array],
  '<u8': ['uint64', BigUint64Array], '|b1': ['bool', Uint8Array],
};

function readNpy(file) {
  const bytes = fs.readFileSync(file);
  if (bytes.toString('latin1', 0, 6) !== '\x93NUMPY') fail(`${file}: not a .npy file`);
  const major = bytes[6];
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const start = major === 1 ? 10 : 12;
  const header = bytes.toString('latin1', start, start + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)[1];
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header)[1].split(',').map(s => s.trim()).filter(s => s).map(Number);
  if (/'fortran_order':\s*True/.test(header)) fail(`${file}: Fortran-order arrays are not supported`);
  const type = NPY_TYPES[descr];
  if (!type) fail(`${file}: unsupported dtype ${descr}`);
  const [name, ArrayType] = type;
  const offset = start + headerLength;
  const copy = bytes.buffer.slice(bytes.byteOffset + offset, bytes.byteOffset + bytes.length);
  let data = new ArrayType(copy);
  if (name === 'bool') data = Uint8Array.from(data);
  return { type: name, dims: shape, data };
}

function writeNpy(file, tensor) {
  const entry = Object.entries(NPY_TYPES).find(([, [name]]) => name === tensor.type);
  if (!entry) fail(`cannot write ${tensor.type} output as .npy`);
  const descr = entry[0];
  const shape = tensor.dims.length === 1 ? `(${tensor.dims[0]},)` : `(${tensor.dims.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const prefix = Buffer.alloc(10);
  prefix.write('\x93NUMPY', 0, 'latin1');
  prefix[6] = 1;
  prefix[7] = 0;
  prefix.writeUInt16LE(header.length, 8);
  let data = tensor.data;
  if (tensor.type === 'bool') data = Uint8Array.from(data, v => (v ? 1 : 0));
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(file, Buffer.concat([prefix, Buffer.from(header, 'latin1'), body]));
}

function parseArgs(argv) {
  const options = { inputs: [], opt: 'all', threads: 1, bench: 0, json: false };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    const next = () => { if (i + 1 >= argv.length) fail(`${a} needs a value`); return argv[++i]; };
    if (a === '--input') options.inputs.push(next());
    else if (a === '--data') options.data = next();
    else if (a === '--out') options.out = next();
    else if (a === '--opt') options.opt = next();
    else if (a === '--threads') options.threads = Number(next());
    else if (a === '--bench') options.bench = Number(next());
    else if (a === '--json') options.json = true;
    else if (a === '--save-optimized') options.saveOptimized = next();
    else if (a.startsWith('--')) { process.stderr.write(`ort_run: unknown option ${a}\n`); process.exit(2); }
    else if (!options.model) options.model = a;
    else { process.stderr.write(`ort_run: unexpected argument ${a}\n`); process.exit(2); }
  }
  if (!options.model) { process.stderr.write('ort_run: missing MODEL\n'); process.exit(2); }
  return options;
}

function percentile(sorted, fraction) {
  const position = fraction * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const ort = loadOrt();
  const sessionOptions = {
    graphOptimizationLevel: options.opt,
    intraOpNumThreads: options.threads,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  };
  if (options.saveOptimized) sessionOptions.optimizedModelFilePath = options.saveOptimized;
  let session;
  try {
    session = await ort.InferenceSession.create(options.model, sessionOptions);
  } catch (e) {
    fail(`${options.model}: ${e.message.split('\n')[0]}`);
  }
  const feeds = {};
  const add = (name, file) => {
    const t = readNpy(file);
    feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
  };
  if (options.data) {
    for (const file of fs.readdirSync(options.data).filter(f => f.endsWith('.npy')))
      add(path.basename(file, '.npy'), path.join(options.data, file));
  }
  for (const spec of options.inputs) {
    const equals = spec.indexOf('=');
    if (equals <= 0) fail(`--input ${spec}: expected NAME=FILE`);
    add(spec.slice(0, equals), spec.slice(equals + 1));
  }
  let results;
  try {
    results = await session.run(feeds);
  } catch (e) {
    fail(`${options.model}: ${e.message.split('\n')[0]}`);
  }
  if (options.out) {
    fs.mkdirSync(options.out, { recursive: true });
    session.outputNames.forEach((name, i) => writeNpy(path.join(options.out, `output_${i}.npy`), results[name]));
  }
  if (options.bench > 0) {
    const warmup = Math.min(10, Math.max(1, Math.floor(options.bench / 10)));
    for (let i = 0; i < warmup; ++i) await session.run(feeds);
    const latencies = [];
    for (let i = 0; i < options.bench; ++i) {
      const start = process.hrtime.bigint();
      await session.run(feeds);
      latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    const report = { p50_ms: percentile(sorted, 0.5), p90_ms: percentile(sorted, 0.9), p99_ms: percentile(sorted, 0.99),
                     mean_ms: mean, throughput_per_s: 1000 / mean, runs: options.bench, warmup_runs: warmup };
    console.log(options.json ? JSON.stringify(report)
      : `${options.bench} runs: p50 ${report.p50_ms.toFixed(3)} ms  p90 ${report.p90_ms.toFixed(3)} ms  mean ${mean.toFixed(3)} ms`);
  } else if (options.json) {
    console.log(JSON.stringify({ outputs: session.outputNames.map(n => ({ name: n, type: results[n].type, shape: results[n].dims })) }));
  } else {
    for (const name of session.outputNames) console.log(`${name}: ${results[name].type}[${results[name].dims.join(',')}]`);
  }
}

main().catch(e => fail(e.message));
