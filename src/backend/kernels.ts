/**
 * Gradient kernels the stock wasm backend lacks, so conv nets can train on it.
 *
 * Learners need not read this file: it is speed work. The idea is simple, though:
 * the gradient of a convolution with respect to its filter is itself a convolution,
 * of the input with the output gradient, once batch and channels swap places.
 */
import * as tf from "@tensorflow/tfjs";
import type { KernelConfig, KernelFunc, TensorInfo, NamedAttrMap } from "@tensorflow/tfjs";

const { backend_util } = tf;

type Backend = tf.KernelBackend;

/** Runs another registered wasm kernel by name, so we reuse its optimised code. */
function run(name: string, backend: Backend, inputs: Record<string, TensorInfo>, attrs: NamedAttrMap = {}): TensorInfo {
  const kernel = tf.getKernel(name, "wasm");
  if (!kernel) throw new Error(`wasm backend has no ${name} kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as TensorInfo;
}

/**
 * dW[kh, kw, ci, co] = Σ_b,oh,ow x[b, oh·s + kh − pad, ow·s + kw − pad, ci] · dy[b, oh, ow, co]
 *
 * Written as one ordinary convolution:
 *   input  = padded x transposed to [Ci, H, W, B]   (input channels act as the batch)
 *   filter = dy transposed to       [OH, OW, B, Co] (the batch acts as input channels)
 *   dilation = the forward stride, stride 1, no padding
 * The result [Ci, KH', KW', Co] is cropped to [Ci, KH, KW, Co] and transposed to [KH, KW, Ci, Co].
 */
const conv2DBackpropFilter: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as Backend;
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (backend_util.convertConv2DDataFormat(dataFormat) !== "channelsLast") {
    throw new Error("Conv2DBackpropFilter on wasm supports channelsLast (NHWC) only");
  }
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const { top, bottom, left, right } = info.padInfo;
  const [kh, kw, ci, co] = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (temps.push(t), t);

  // 'same' padding may ask for more rows than x has on the bottom/right; pad zeros explicitly.
  const padded = keep(
    run("PadV2", backend, { x }, {
      paddings: [
        [0, 0],
        [top, Math.max(bottom, 0)],
        [left, Math.max(right, 0)],
        [0, 0],
      ],
      constantValue: 0,
    } as unknown as NamedAttrMap),
  );
  const xT = keep(run("Transpose", backend, { x: padded }, { perm: [3, 1, 2, 0] }));
  const dyT = keep(run("Transpose", backend, { x: dy }, { perm: [1, 2, 0, 3] }));
  const full = keep(
    run("Conv2D", backend, { x: xT, filter: dyT }, {
      strides: [1, 1],
      pad: "valid",
      dataFormat: "NHWC",
      dilations: [info.strideHeight, info.strideWidth],
      dimRoundingMode: undefined,
    } as unknown as NamedAttrMap),
  );
  // Rows past KH come from padding we added only to keep the shapes aligned.
  const cropped = keep(run("Slice", backend, { x: full }, { begin: [0, 0, 0, 0], size: [ci, kh, kw, co] }));
  const dw = run("Transpose", backend, { x: cropped }, { perm: [1, 2, 0, 3] });
  for (const t of temps) backend.disposeData(t.dataId);
  return dw;
};

/** The stock Conv2DBackpropInput, kept for the cases our faster version does not cover. */
let stockBackpropInput: KernelFunc | null = null;

/**
 * dx for a stride-1 convolution is a "full" convolution of dy with the filter rotated by 180°
 * and its in/out channels swapped. The stock wasm kernel is a plain loop; this runs on the
 * optimised Conv2D instead (several times faster). Strided or dilated cases use the stock kernel.
 */
const conv2DBackpropInput: KernelFunc = (args) => {
  const { inputs, backend: anyBackend, attrs } = args;
  const backend = anyBackend as Backend;
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  const info = backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const strided = info.strideHeight !== 1 || info.strideWidth !== 1;
  // tfjs lets dy disagree with the shape a forward pass on inputShape would give (a conv2dTranspose
  // asked for an outputShape that is not what its input implies); the result must still have
  // inputShape. Our "full convolution" would follow dy instead, so such cases go to the stock kernel.
  const dyMatches = dy.shape[1] === info.outHeight && dy.shape[2] === info.outWidth;
  if (strided || !dyMatches || backend_util.convertConv2DDataFormat(dataFormat) !== "channelsLast") {
    return stockBackpropInput!(args);
  }
  const { top, bottom, left, right } = info.padInfo;
  const [kh, kw] = [info.filterHeight, info.filterWidth];
  const temps: TensorInfo[] = [];
  const keep = (t: TensorInfo) => (temps.push(t), t);
  // Pad dy so a valid convolution gives back exactly H×W: kh−1−pad rows on each side.
  const padded = keep(
    run("PadV2", backend, { x: dy }, {
      paddings: [
        [0, 0],
        [kh - 1 - top, kh - 1 - bottom],
        [kw - 1 - left, kw - 1 - right],
        [0, 0],
      ],
      constantValue: 0,
    } as unknown as NamedAttrMap),
  );
  const rotated = keep(run("Reverse", backend, { x: filter }, { dims: [0, 1] }));
  const swapped = keep(run("Transpose", backend, { x: rotated }, { perm: [0, 1, 3, 2] }));
  const dx = run("Conv2D", backend, { x: padded, filter: swapped }, {
    strides: [1, 1],
    pad: "valid",
    dataFormat: "NHWC",
    dilations: [1, 1],
    dimRoundingMode: undefined,
  } as unknown as NamedAttrMap);
  for (const t of temps) backend.disposeData(t.dataId);
  return dx;
};

/** The parts of the wasm backend our JavaScript kernel touches (not in tfjs's public types). */
interface WasmMemory {
  readSync(dataId: object): Float32Array;
  makeOutput(shape: number[], dtype: "float32"): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
}

/**
 * Max-pooling sends each output's gradient back to the one input pixel that won its window
 * (the first, if several tie, as the cpu backend does). The stock wasm MaxPoolGrad (tfjs 4.22)
 * routes gradients to the wrong channel when there is more than one channel, so we replace it
 * with this plain loop over the backend's memory; it is also faster than the stock kernel.
 */
const maxPoolGrad: KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as unknown as WasmMemory;
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    filterSize,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const [batch, height, width, channels] = input.shape;
  const { outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const x = backend.readSync(input.dataId);
  const g = backend.readSync(dy.dataId);
  const out = backend.makeOutput(input.shape, "float32");
  const dx = backend.typedArrayFromHeap(out);
  dx.fill(0);
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - info.padInfo.top;
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - info.padInfo.left;
        for (let c = 0; c < channels; c++) {
          let best = -Infinity,
            where = -1;
          for (let fy = 0; fy < filterHeight; fy++) {
            const y = y0 + fy;
            if (y < 0 || y >= height) continue;
            for (let fx = 0; fx < filterWidth; fx++) {
              const xx = x0 + fx;
              if (xx < 0 || xx >= width) continue;
              const i = ((b * height + y) * width + xx) * channels + c;
              if (x[i] > best) ((best = x[i]), (where = i));
            }
          }
          if (where >= 0) dx[where] += g[((b * outHeight + oy) * outWidth + ox) * channels + c];
        }
      }
    }
  }
  return out;
};

export const wasmGradientKernels: KernelConfig[] = [
  { kernelName: tf.Conv2DBackpropFilter, backendName: "wasm", kernelFunc: conv2DBackpropFilter },
  { kernelName: tf.Conv2DBackpropInput, backendName: "wasm", kernelFunc: conv2DBackpropInput },
  { kernelName: tf.MaxPoolGrad, backendName: "wasm", kernelFunc: maxPoolGrad },
];

let registered = false;

/** Registers our kernels once (replacing the slow stock ones); safe to call many times. */
export function registerWasmGradientKernels(): void {
  if (registered) return;
  registered = true;
  // Our Conv2DBackpropInput replaces the slow stock one, which stays the fallback for strided cases;
  // our MaxPoolGrad replaces the stock one, which is wrong for more than one channel.
  const stockInput = tf.getKernel(tf.Conv2DBackpropInput, "wasm");
  if (!stockInput) return; // the wasm backend is not bundled here
  stockBackpropInput = stockInput.kernelFunc;
  tf.unregisterKernel(tf.Conv2DBackpropInput, "wasm");
  if (tf.getKernel(tf.MaxPoolGrad, "wasm")) tf.unregisterKernel(tf.MaxPoolGrad, "wasm");
  for (const config of wasmGradientKernels) {
    // The stock kernel binds its wasm function in setupFunc when the backend starts: keep that.
    const setupFunc = config.kernelName === tf.Conv2DBackpropInput ? stockInput.setupFunc : undefined;
    tf.registerKernel({ ...config, setupFunc });
  }
}
