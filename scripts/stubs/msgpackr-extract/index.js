// msgpackr loads its native extractor inside a try and uses it only when it is exported; this
// stand-in exports nothing, so msgpackr decodes with its JavaScript implementation.
module.exports = undefined;
