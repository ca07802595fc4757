#!/usr/bin/python3
"""Writes the seed corpora of the fuzz targets into BUILD_DIR/seeds/<target>/ (scripts/fuzz.sh runs it).

Seeds come from what the repository and the system already hold, so no binary seed is committed:
  load_model         fixtures/*.onnx, tests/bad_models/*.onnx, small models of the ONNX backend test
                     data, and the text test cases of tests/ converted to .onnx
  optimize_model     the same, small ones only, with a sample of the backend's single-op models
  parse_text         the text models (ONNX textual syntax) of tests/passes, tests/ir, tests/quant, ...
  npy, tensor_proto  fixtures' .npy and test-data .pb files, plus tensors of every type (make_seeds)
  npz                tests/runtime/data's numpy-made archives, plus zips of the .npy seeds
  calibration_table  tables written by make_seeds

Usage: fuzz/make_seeds.py BUILD_DIR   (needs BUILD_DIR/fuzz/make_seeds)
"""
import glob
import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BACKEND_DATA = '/usr/share/libonnx-testdata/data'
SMALL_MODEL_BYTES = 16 * 1024  # models up to this size seed the model targets (fuzz.sh's -max_len)


def copy_files(paths, out, limit=None):
    os.makedirs(out, exist_ok=True)
    count = 0
    for path in paths:
        if not os.path.isfile(path) or os.path.islink(path) or (limit and os.path.getsize(path) > limit):
            continue
        data = open(path, 'rb').read()
        # Named by content: the backend data repeats models, and reruns overwrite instead of adding.
        name = hashlib.sha1(data).hexdigest()[:16] + os.path.splitext(path)[1]
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)
        count += 1
    return count


def text_cases():
    """Raw string literals of the tests that hold a whole model in ONNX textual syntax."""
    cases = []
    for path in sorted(glob.glob(os.path.join(ROOT, 'tests', '*', '*.cc'))):
        source = open(path, encoding='utf-8').read()
        for match in re.finditer(r'R"\((.*?)\)"', source, re.S):
            text = match.group(1)
            if 'ir_version' in text and '=>' in text:
                cases.append(text.strip() + '\n')
    return sorted(set(cases))


def main():
    build = os.path.abspath(sys.argv[1])
    seeds = os.path.join(build, 'seeds')
    make_seeds = os.path.join(build, 'fuzz', 'make_seeds')
    shutil.rmtree(seeds, ignore_errors=True)
    counts = {}

    texts = os.path.join(seeds, 'parse_text')
    os.makedirs(texts)
    for i, text in enumerate(text_cases()):
        with open(os.path.join(texts, f'case_{i:04}.txt'), 'w') as f:
            f.write(text)
    counts['parse_text'] = len(os.listdir(texts))

    text_models = os.path.join(build, 'seeds-text-models')
    shutil.rmtree(text_models, ignore_errors=True)
    subprocess.run([make_seeds, 'models', text_models, texts], check=True)
    backend_models = sorted(glob.glob(os.path.join(BACKEND_DATA, '*', '*', 'model.onnx')))
    fixtures = sorted(glob.glob(os.path.join(ROOT, 'fixtures', '*.onnx')))
    bad_models = sorted(glob.glob(os.path.join(ROOT, 'tests', 'bad_models', '*.onnx')))
    made = sorted(glob.glob(os.path.join(text_models, '*.onnx')))
    counts['load_model'] = (copy_files(fixtures + bad_models + made, os.path.join(seeds, 'load_model')) +
                            copy_files(backend_models, os.path.join(seeds, 'load_model'), SMALL_MODEL_BYTES))
    # -O2 on the single-op node tests finds little (their data are graph inputs, nothing folds): a
    # sample of them keeps the initial corpus run short.
    node_models = [m for m in backend_models if os.sep + 'node' + os.sep in m]
    other_backend = [m for m in backend_models if m not in node_models]
    counts['optimize_model'] = (copy_files(made, os.path.join(seeds, 'optimize_model')) +
                                copy_files(fixtures + bad_models + other_backend + node_models[::8],
                                           os.path.join(seeds, 'optimize_model'), SMALL_MODEL_BYTES))
    shutil.rmtree(text_models)

    tensors = os.path.join(build, 'seeds-tensors')
    shutil.rmtree(tensors, ignore_errors=True)
    subprocess.run([make_seeds, 'tensors', tensors], check=True)
    npy = sorted(glob.glob(os.path.join(tensors, 'npy', '*.npy')))
    counts['npy'] = copy_files(npy + glob.glob(os.path.join(ROOT, 'fixtures', 'digits', '*.npy')),
                               os.path.join(seeds, 'npy'), 32 * 1024)
    test_data_pb = glob.glob(os.path.join(ROOT, 'fixtures', '*', 'test_data_set_*', '*.pb'))
    backend_pb = sorted(glob.glob(os.path.join(BACKEND_DATA, 'node', '*', 'test_data_set_0', '*.pb')))[::8]
    counts['tensor_proto'] = copy_files(sorted(glob.glob(os.path.join(tensors, 'pb', '*.pb'))) + test_data_pb + backend_pb,
                                        os.path.join(seeds, 'tensor_proto'), 16 * 1024)

    npz = os.path.join(seeds, 'npz')
    os.makedirs(npz)
    for inc in glob.glob(os.path.join(ROOT, 'tests', 'runtime', 'data', '*_npz.inc')):
        data = bytes(int(x, 16) for x in re.findall(r'0x[0-9a-fA-F]{2}', open(inc).read()))
        with open(os.path.join(npz, os.path.basename(inc)[:-4] + '.npz'), 'wb') as f:
            f.write(data)
    for method, tag in ((zipfile.ZIP_STORED, 'stored'), (zipfile.ZIP_DEFLATED, 'deflated')):
        for i, path in enumerate(npy[::6]):
            with zipfile.ZipFile(os.path.join(npz, f'{tag}_{i}.npz'), 'w', method) as z:
                z.write(path, 'x.npy')
        with zipfile.ZipFile(os.path.join(npz, f'{tag}_several.npz'), 'w', method) as z:
            for path in npy[:4]:
                z.write(path, os.path.basename(path))
    with zipfile.ZipFile(os.path.join(npz, 'zip64.npz'), 'w', zipfile.ZIP_DEFLATED) as z:
        with z.open('big.npy', 'w', force_zip64=True) as f:
            f.write(open(npy[0], 'rb').read())
    counts['npz'] = len(os.listdir(npz))
    shutil.rmtree(tensors)

    subprocess.run([make_seeds, 'tables', os.path.join(seeds, 'calibration_table')], check=True)
    counts['calibration_table'] = len(os.listdir(os.path.join(seeds, 'calibration_table')))
    print('seeds: ' + ', '.join(f'{name} {count}' for name, count in sorted(counts.items())))


if __name__ == '__main__':
    main()
