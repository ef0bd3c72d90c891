// The measured record data/records/cnn-depth.json (written by `npm run record -- --only cnn-depth`), or null.
import {emitRecord} from "../../../data/records.mjs";
emitRecord("cnn-depth");
