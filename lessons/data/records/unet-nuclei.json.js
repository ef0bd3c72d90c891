// The measured record data/records/unet-nuclei.json (written by `npm run record -- --only unet-nuclei`), or null.
import {emitRecord} from "../../../data/records.mjs";
emitRecord("unet-nuclei");
