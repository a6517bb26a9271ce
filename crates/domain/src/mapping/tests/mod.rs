mod adjust;
mod days;
mod fixtures;
mod golden;
mod options;
mod props;
