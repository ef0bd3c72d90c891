// The measured record data/records/unet-checkerboard.json (written by `npm run record -- --only unet-checkerboard`), or null.
import {emitRecord} from "../../../data/records.mjs";
emitRecord("unet-checkerboard");
