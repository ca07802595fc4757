#!/usr/bin/python3
"""Writes the hostile-model corpus of tests/bad_models/ (run by hand; the files are committed).

Every file is a model a tool must refuse cleanly: exit code 1, one stderr line naming the file
and the problem, no output file, no signal, no hang (tests/cli/bad_models_test.cc). Each entry of
CASES says which class of malformation it is. The files are small; the whole corpus is < 100 KB.

Usage: /usr/bin/python3 tests/bad_models/make_bad_models.py   (needs python3-onnx)
"""
import os
import random
import shutil

import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, '..', '..', 'fixtures')


def tiny_model(nodes, inputs=None, outputs=None, initializers=(), opset=13, ir_version=8):
    inputs = inputs if inputs is not None else [helper.make_tensor_value_info('x', TensorProto.FLOAT, [2, 3])]
    outputs = outputs if outputs is not None else [helper.make_tensor_value_info('y', TensorProto.FLOAT, None)]
    graph = helper.make_graph(nodes, 'g', inputs, outputs, initializer=list(initializers))
    return helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset)], ir_version=ir_version)


def raw_tensor(name, data_type, dims, raw):
    tensor = TensorProto()
    tensor.name = name
    tensor.data_type = data_type
    tensor.dims.extend(dims)
    tensor.raw_data = raw
    return tensor


def external_tensor(name, dims, location, offset=None, length=None):
    tensor = TensorProto()
    tensor.name = name
    tensor.data_type = TensorProto.FLOAT
    tensor.dims.extend(dims)
    tensor.data_location = TensorProto.EXTERNAL
    for key, value in (('location', location), ('offset', offset), ('length', length)):
        if value is not None:
            entry = tensor.external_data.add()
            entry.key, entry.value = key, str(value)
    return tensor


def add_with(initializer):
    return tiny_model([helper.make_node('Add', ['x', initializer.name], ['y'])], initializers=[initializer])


def nested_ifs(depth):
    """If inside If inside ... `depth` levels (a stack-depth attack on recursive code)."""
    def leaf(name):
        return helper.make_graph([helper.make_node('Identity', ['x'], [name])], name, [],
                                 [helper.make_tensor_value_info(name, TensorProto.FLOAT, None)])
    body = leaf('v0')
    for level in range(1, depth):  # the nesting is in then_branch only: the file stays linear in depth
        node = helper.make_node('If', ['c'], [f'v{level}'], then_branch=body, else_branch=leaf(f'e{level}'))
        body = helper.make_graph([node], f'b{level}', [], [helper.make_tensor_value_info(f'v{level}', TensorProto.FLOAT, None)])
    node = helper.make_node('If', ['c'], ['y'], then_branch=body, else_branch=leaf('e'))
    return tiny_model([node], inputs=[helper.make_tensor_value_info('c', TensorProto.BOOL, []),
                                      helper.make_tensor_value_info('x', TensorProto.FLOAT, [2, 3])])


def cases():
    cnn = open(os.path.join(FIXTURES, 'cnn_bn_residual.onnx'), 'rb').read()
    rng = random.Random(20261121)
    flipped = bytearray(cnn[:4096])
    yield 'truncated_half.onnx', 'truncated file', cnn[:len(cnn) // 2]
    yield 'truncated_header.onnx', 'truncated file', cnn[:7]
    yield 'random_bytes.onnx', 'not a protobuf', bytes(rng.getrandbits(8) for _ in range(2048))
    yield 'empty.onnx', 'empty file', b''
    for position in (3, 17, 40, 200):
        flipped[position] ^= 0x5A
    yield 'bit_flipped_prefix.onnx', 'corrupt bytes (bit flips in a truncated model)', bytes(flipped)
    yield 'text_file.onnx', 'not a protobuf', b'this is not an onnx model\n' * 10

    def model(name, what, m):
        return name, what, m.SerializeToString()

    yield model('ir_version_future.onnx', 'unsupported IR version', tiny_model([helper.make_node('Relu', ['x'], ['y'])], ir_version=99))
    yield model('no_opset_import.onnx', 'default domain used without opset import',
                helper.make_model(helper.make_graph([helper.make_node('Relu', ['x'], ['y'])], 'g',
                                                    [helper.make_tensor_value_info('x', TensorProto.FLOAT, [2])],
                                                    [helper.make_tensor_value_info('y', TensorProto.FLOAT, [2])]),
                                  opset_imports=[], ir_version=8))
    yield model('cycle.onnx', 'cycle', tiny_model([helper.make_node('Add', ['x', 'b'], ['a']),
                                                   helper.make_node('Relu', ['a'], ['b']),
                                                   helper.make_node('Identity', ['a'], ['y'])]))
    yield model('undefined_input.onnx', 'undefined input', tiny_model([helper.make_node('Add', ['x', 'nowhere'], ['y'])]))
    yield model('duplicate_definition.onnx', 'value defined twice', tiny_model([helper.make_node('Relu', ['x'], ['y']),
                                                                                helper.make_node('Neg', ['x'], ['y'])]))
    yield model('output_undefined.onnx', 'graph output never defined',
                tiny_model([helper.make_node('Relu', ['x'], ['t'])]))
    yield model('attribute_wrong_type.onnx', 'attribute of the wrong type',
                tiny_model([helper.make_node('Softmax', ['x'], ['y'], axis=1.5)]))
    yield model('deep_nesting.onnx', 'subgraphs nested 500 deep', nested_ifs(500))
    yield model('raw_data_too_short.onnx', 'declared dims larger than the data',
                add_with(raw_tensor('w', TensorProto.FLOAT, [2, 3], b'\0' * 8)))
    yield model('dims_overflow.onnx', 'dim product overflows int64',
                add_with(raw_tensor('w', TensorProto.FLOAT, [1 << 40, 1 << 40, 1 << 40], b'\0' * 4)))
    yield model('negative_dim.onnx', 'negative dim', add_with(raw_tensor('w', TensorProto.FLOAT, [-2, 3], b'\0' * 24)))
    yield model('huge_declared_tensor.onnx', 'a 4 TiB tensor declared with no data',
                add_with(raw_tensor('w', TensorProto.FLOAT, [1 << 20, 1 << 20], b'')))
    yield model('external_absolute_path.onnx', 'external data at an absolute path',
                add_with(external_tensor('w', [2, 3], '/etc/passwd')))
    yield model('external_parent_escape.onnx', 'external data escaping the folder with ..',
                add_with(external_tensor('w', [2, 3], '../../../etc/passwd')))
    yield model('external_missing_file.onnx', 'external data file missing',
                add_with(external_tensor('w', [2, 3], 'no_such_file.bin')))
    yield model('external_offset_beyond_file.onnx', 'external data offset past the end of its file',
                add_with(external_tensor('w', [2, 3], 'weights.bin', offset=1 << 30, length=24)))
    yield model('external_symlink_outside.onnx', 'external data through a link leaving the folder',
                add_with(external_tensor('w', [2, 3], 'link_to_etc/passwd')))
    # Runtime-side hostility: the model is valid, running it must fail cleanly.
    trip = helper.make_tensor('trip', TensorProto.INT64, [], [1 << 60])
    loop_body = helper.make_graph([helper.make_node('Identity', ['cond_in'], ['cond_out']),
                                   helper.make_node('Identity', ['v_in'], ['v_out'])], 'body',
                                  [helper.make_tensor_value_info('i', TensorProto.INT64, []),
                                   helper.make_tensor_value_info('cond_in', TensorProto.BOOL, []),
                                   helper.make_tensor_value_info('v_in', TensorProto.FLOAT, None)],
                                  [helper.make_tensor_value_info('cond_out', TensorProto.BOOL, []),
                                   helper.make_tensor_value_info('v_out', TensorProto.FLOAT, None)])
    cond = helper.make_tensor('cond', TensorProto.BOOL, [], [True])
    yield model('run_loop_absurd_trip_count.onnx', 'Loop with 2^60 iterations',
                tiny_model([helper.make_node('Loop', ['trip', 'cond', 'x'], ['y'], body=loop_body)], initializers=[trip, cond]))
    indices = helper.make_tensor('idx', TensorProto.INT64, [2], [0, 1000])
    yield model('run_gather_out_of_range.onnx', 'Gather index out of range',
                tiny_model([helper.make_node('Gather', ['x', 'idx'], ['y'])], initializers=[indices]))
    limits = [helper.make_tensor('start', TensorProto.FLOAT, [], [0.0]), helper.make_tensor('limit', TensorProto.FLOAT, [], [1e18]),
              helper.make_tensor('delta', TensorProto.FLOAT, [], [1.0])]
    yield model('run_range_huge.onnx', 'Range of 1e18 elements',
                tiny_model([helper.make_node('Range', ['start', 'limit', 'delta'], ['r']),
                            helper.make_node('Add', ['x', 'r'], ['y'])], initializers=limits))
    shape = helper.make_tensor('shape', TensorProto.INT64, [3], [1 << 20, 1 << 20, 1 << 10])
    yield model('run_constant_of_shape_huge.onnx', 'ConstantOfShape of 2^50 elements',
                tiny_model([helper.make_node('ConstantOfShape', ['shape'], ['c']),
                            helper.make_node('Add', ['x', 'c'], ['y'])], initializers=[shape]))
    def int64s(name, values, dims=None):
        return helper.make_tensor(name, TensorProto.INT64, [len(values)] if dims is None else dims, values)

    # Index-taking kernels fed indices or sizes outside what the data allows.
    yield model('run_scatter_out_of_range.onnx', 'ScatterElements index out of range',
                tiny_model([helper.make_node('ScatterElements', ['x', 'i', 'u'], ['y'], axis=1)],
                           initializers=[int64s('i', [0, 9, 1, 0, 2, 1], [2, 3]),
                                         helper.make_tensor('u', TensorProto.FLOAT, [2, 3], [1.0] * 6)]))
    yield model('run_gather_elements_out_of_range.onnx', 'GatherElements index out of range',
                tiny_model([helper.make_node('GatherElements', ['x', 'i'], ['y'], axis=0)],
                           initializers=[int64s('i', [0, 1, -7, 0, 1, 1], [2, 3])]))
    yield model('run_gather_nd_out_of_range.onnx', 'GatherND index out of range',
                tiny_model([helper.make_node('GatherND', ['x', 'i'], ['y'])], initializers=[int64s('i', [1, 3], [1, 2])]))
    yield model('run_onehot_huge_depth.onnx', 'OneHot with a depth of 2^50',
                tiny_model([helper.make_node('OneHot', ['i', 'depth', 'v'], ['y'])],
                           initializers=[int64s('i', [0, 1]), int64s('depth', [1 << 50], []),
                                         helper.make_tensor('v', TensorProto.FLOAT, [2], [0.0, 1.0])]))
    yield model('run_topk_k_too_large.onnx', 'TopK with k larger than the axis',
                tiny_model([helper.make_node('TopK', ['x', 'k'], ['y', 'idx'])], initializers=[int64s('k', [50])],
                           outputs=[helper.make_tensor_value_info('y', TensorProto.FLOAT, None),
                                    helper.make_tensor_value_info('idx', TensorProto.INT64, None)]))
    yield model('run_pad_huge.onnx', 'Pad growing a tensor to 2^60 elements',
                tiny_model([helper.make_node('Pad', ['x', 'p'], ['y'])], initializers=[int64s('p', [0, 0, 1 << 30, 1 << 30])]))
    yield model('run_tile_huge.onnx', 'Tile repeating 2^31 x 2^31 times',
                tiny_model([helper.make_node('Tile', ['x', 'r'], ['y'])], initializers=[int64s('r', [1 << 31, 1 << 31])]))
    yield model('run_expand_huge.onnx', 'Expand to 2^60 elements',
                tiny_model([helper.make_node('Expand', ['x', 's'], ['y'])], initializers=[int64s('s', [1 << 40, 2, 3])]))
    yield model('run_resize_huge.onnx', 'Resize by a factor of 1e9 per axis',
                tiny_model([helper.make_node('Resize', ['x', '', 'sc'], ['y'], mode='nearest')],
                           initializers=[helper.make_tensor('sc', TensorProto.FLOAT, [2], [1e9, 1e9])]))
    yield model('run_matmul_mismatch.onnx', 'MatMul with incompatible inner dims',
                tiny_model([helper.make_node('MatMul', ['x', 'w'], ['y'])],
                           initializers=[helper.make_tensor('w', TensorProto.FLOAT, [5, 2], [0.0] * 10)]))
    yield model('run_split_wrong_sizes.onnx', 'Split sizes not summing to the axis',
                tiny_model([helper.make_node('Split', ['x', 's'], ['y', 'z'], axis=1)], initializers=[int64s('s', [2, 5])],
                           outputs=[helper.make_tensor_value_info('y', TensorProto.FLOAT, None),
                                    helper.make_tensor_value_info('z', TensorProto.FLOAT, None)]))
    # Ranks libonnx 1.12's shape inference reads past without checking (a segfault inside it,
    # found by fuzz/fuzz_optimize_model): every tool that infers shapes must survive them.
    weight = helper.make_tensor('W', TensorProto.FLOAT, [2, 2, 1, 1], [1.0] * 4)
    yield model('run_conv_weight_rank_mismatch.onnx', 'Conv with a rank-2 input and a rank-4 weight',
                tiny_model([helper.make_node('Conv', ['x', 'W'], ['y'])], initializers=[weight]))
    yield model('run_convtranspose_weight_rank_mismatch.onnx', 'ConvTranspose with a rank-2 input and a rank-4 weight',
                tiny_model([helper.make_node('ConvTranspose', ['x', 'W'], ['y'])], initializers=[weight]))
    yield model('run_maxunpool_indices_without_shape.onnx', 'MaxUnpool whose indices have no shape',
                tiny_model([helper.make_node('MaxUnpool', ['x4', 'i'], ['y'], kernel_shape=[2, 2])],
                           inputs=[helper.make_tensor_value_info('x4', TensorProto.FLOAT, [1, 1, 2, 2]),
                                   helper.make_tensor_value_info('i', TensorProto.INT64, None)]))
    reshape_to = helper.make_tensor('to', TensorProto.INT64, [2], [7, 5])
    yield model('run_reshape_mismatch.onnx', 'Reshape to an incompatible shape',
                tiny_model([helper.make_node('Reshape', ['x', 'to'], ['y'])], initializers=[reshape_to]))


def main():
    for entry in os.listdir(HERE):
        if entry.endswith('.onnx') or entry == 'link_to_etc':
            path = os.path.join(HERE, entry)
            os.unlink(path) if not os.path.isdir(path) or os.path.islink(path) else shutil.rmtree(path)
    index = []
    for name, what, data in cases():
        with open(os.path.join(HERE, name), 'wb') as out:
            out.write(data)
        index.append(f'{name}\t{what}')
    open(os.path.join(HERE, 'weights.bin'), 'wb').write(b'\0' * 24)
    os.symlink('/etc', os.path.join(HERE, 'link_to_etc'))
    with open(os.path.join(HERE, 'INDEX.tsv'), 'w') as out:
        out.write('# file\tmalformation (written by make_bad_models.py)\n' + '\n'.join(index) + '\n')
    print(f'wrote {len(index)} bad models')


if __name__ == '__main__':
    main()
