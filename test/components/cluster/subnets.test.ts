import { expect } from "chai";
import { subnetLayout } from "../../../components/cluster";

describe("subnetLayout", () => {
    it("cuts a /16 into /19 private subnets and /22 public subnets in the last eighth", () => {
        expect(subnetLayout("10.0.0.0/16", 3)).to.deep.equal({
            private: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"],
            public: ["10.0.224.0/22", "10.0.228.0/22", "10.0.232.0/22"],
        });
    });

    it("never overlaps for the largest zone count and the smallest VPC", () => {
        const layout = subnetLayout("172.20.16.0/20", 6);
        expect(layout.private).to.deep.equal([
            "172.20.16.0/23", "172.20.18.0/23", "172.20.20.0/23", "172.20.22.0/23", "172.20.24.0/23", "172.20.26.0/23",
        ]);
        expect(layout.public).to.deep.equal([
            "172.20.30.0/26", "172.20.30.64/26", "172.20.30.128/26", "172.20.30.192/26", "172.20.31.0/26", "172.20.31.64/26",
        ]);
    });
});
