import {emitRecord} from "../../../data/records.mjs";
emitRecord("autoencoders");
