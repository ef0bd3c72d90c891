// Kept here for the training code that imports it; it lives in core/ so data making can pause too.
export { yieldToBrowser } from "../core/yield";
