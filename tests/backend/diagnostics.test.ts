import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { addTensorCounter, memoryReport } from "../../src/backend/diagnostics";

describe("the memory report", () => {
  it("counts the page's tensors and every registered holder, until it unregisters", async () => {
    await tf.setBackend("cpu");
    const before = await memoryReport();
    const t = tf.zeros([2]);
    const remove = addTensorCounter("worker-1", async () => 7);
    const during = await memoryReport();
    expect(during.pageTensors).toBe(before.pageTensors + 1);
    expect(during.others).toEqual({ "worker-1": 7 });
    remove();
    t.dispose();
    const after = await memoryReport();
    expect(after.others).toEqual({});
    expect(after.pageTensors).toBe(before.pageTensors);
  });
});
