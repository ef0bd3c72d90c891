import {emitRecord} from "../../../data/records.mjs";
emitRecord("explain");
