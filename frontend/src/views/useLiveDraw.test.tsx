import { act, useState } from "react";
import { describe, expect, it } from "vitest";
import { createStores, StoresProvider } from "../store/context";
import { mount, setUpDom } from "../test/dom";
import { useThrottledFrameValue } from "./useLiveDraw";

setUpDom();

/** Shows a value derived from its key (as the conv card's numbers derive from the selected cell). */
function Probe() {
  const [key, setKey] = useState("a");
  const value = useThrottledFrameValue(true, () => `read for ${key}`, 4, key);
  return (
    <button type="button" onClick={() => setKey("b")}>
      {value}
    </button>
  );
}

describe("useThrottledFrameValue", () => {
  it("reads again at once when its key changes, without waiting for a frame", () => {
    const stores = createStores({ socket: { watch() {}, control: () => false, close() {} } });
    const el = mount(
      <StoresProvider stores={stores}>
        <Probe />
      </StoresProvider>,
    );
    const button = el.querySelector("button")!;
    expect(button.textContent).toBe("read for a");
    act(() => button.click());
    expect(button.textContent).toBe("read for b");
  });
});
